package org.mailroom.imap.search;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.mailroom.core.store.Flag;
import org.mailroom.imap.wire.SearchKey;
import org.mailroom.imap.wire.SequenceSet;

/**
 * One compiled search key. Immutable (the {@link InSet} cache is a benign race over immutable
 * arrays), so one tree serves every thread; per-message state lives in the {@link SearchMatcher}.
 */
abstract class SearchNode {

    /** Needs only the candidate's attributes. */
    static final int COST_ATTRIBUTES = 0;
    /** Needs the header block. */
    static final int COST_HEADER = 1;
    /** Needs the whole message. */
    static final int COST_MESSAGE = 2;

    abstract int cost();

    abstract boolean eval(SearchMatcher m) throws IOException;

    static final class Const extends SearchNode {
        static final Const TRUE = new Const(true);
        static final Const FALSE = new Const(false);
        final boolean value;

        private Const(boolean value) {
            this.value = value;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) { return value; }

        @Override public String toString() { return value ? "TRUE" : "FALSE"; }
    }

    /** All operands true; operands sorted by cost so that a cheap false saves reading the message. */
    static final class And extends SearchNode {
        final SearchNode[] operands;
        private final int cost;

        And(List<SearchNode> operands) {
            this.operands = operands.toArray(new SearchNode[0]);
            this.cost = maxCost(this.operands);
        }

        @Override int cost() { return cost; }

        @Override boolean eval(SearchMatcher m) throws IOException {
            for (SearchNode n : operands) {
                if (!n.eval(m)) {
                    return false;
                }
            }
            return true;
        }

        @Override public String toString() { return "AND" + List.of(operands); }
    }

    /** Some operand true (nested ORs flattened); operands sorted by cost. */
    static final class Or extends SearchNode {
        final SearchNode[] operands;
        private final int cost;

        Or(List<SearchNode> operands) {
            this.operands = operands.toArray(new SearchNode[0]);
            this.cost = maxCost(this.operands);
        }

        @Override int cost() { return cost; }

        @Override boolean eval(SearchMatcher m) throws IOException {
            for (SearchNode n : operands) {
                if (n.eval(m)) {
                    return true;
                }
            }
            return false;
        }

        @Override public String toString() { return "OR" + List.of(operands); }
    }

    static final class Not extends SearchNode {
        final SearchNode operand;

        Not(SearchNode operand) {
            this.operand = operand;
        }

        @Override int cost() { return operand.cost(); }

        @Override boolean eval(SearchMatcher m) throws IOException { return !operand.eval(m); }

        @Override public String toString() { return "NOT(" + operand + ")"; }
    }

    private static int maxCost(SearchNode[] nodes) {
        int c = COST_ATTRIBUTES;
        for (SearchNode n : nodes) {
            c = Math.max(c, n.cost());
        }
        return c;
    }

    static final class HasFlag extends SearchNode {
        final Flag flag;
        final boolean set;

        HasFlag(Flag flag, boolean set) {
            this.flag = flag;
            this.set = set;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) { return m.candidate().hasFlag(flag) == set; }

        @Override public String toString() { return (set ? "" : "UN") + flag; }
    }

    static final class HasKeyword extends SearchNode {
        final String keyword;
        final boolean set;

        HasKeyword(String keyword, boolean set) {
            this.keyword = keyword;
            this.set = set;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) { return m.candidate().hasKeyword(keyword) == set; }

        @Override public String toString() { return (set ? "KEYWORD " : "UNKEYWORD ") + keyword; }
    }

    static final class Recent extends SearchNode {
        final SearchKey.Recent which;

        Recent(SearchKey.Recent which) {
            this.which = which;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) {
            Candidate c = m.candidate();
            return switch (which) {
                case RECENT -> c.isRecent();
                case OLD -> !c.isRecent();
                // RFC 9051 6.4.4 (via RFC 3501): NEW is (RECENT UNSEEN).
                case NEW -> c.isRecent() && !c.hasFlag(Flag.SEEN);
            };
        }

        @Override public String toString() { return which.toString(); }
    }

    /** A sequence set over sequence numbers or UIDs, or {@code $}. */
    static final class InSet extends SearchNode {
        final SequenceSet set;
        final boolean uid;
        /** Non-null for {@code $}. */
        final SavedResult saved;
        private final boolean star;
        /** {largest, low0, high0, low1, high1, ...}; replaced when {@code largest} changes. */
        private volatile long[] resolved;

        InSet(SequenceSet set, boolean uid, SavedResult saved) {
            this.set = set;
            this.uid = uid;
            this.saved = set.isSavedResult() ? saved : null;
            this.star = !set.isSavedResult() && set.usesStar();
            if (!set.isSavedResult() && !star) {
                resolved = resolve(0);
            }
        }

        private long[] resolve(long largest) {
            List<long[]> ranges = set.ranges(largest);
            long[] r = new long[1 + 2 * ranges.size()];
            r[0] = largest;
            for (int i = 0; i < ranges.size(); i++) {
                r[1 + 2 * i] = ranges.get(i)[0];
                r[2 + 2 * i] = ranges.get(i)[1];
            }
            return r;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) {
            Candidate c = m.candidate();
            if (saved != null) {
                return saved.contains(c.uid()); // RFC 5182 2.1: $ names the saved messages
            }
            long n = uid ? c.uid() : c.seq();
            long[] r = resolved;
            if (r == null || (star && r[0] != (uid ? c.largestUid() : c.largestSeq()))) {
                r = resolve(uid ? c.largestUid() : c.largestSeq());
                resolved = r;
            }
            int lo = 0;
            int hi = (r.length - 1) / 2 - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (n < r[1 + 2 * mid]) {
                    hi = mid - 1;
                } else if (n > r[2 + 2 * mid]) {
                    lo = mid + 1;
                } else {
                    return true;
                }
            }
            return false;
        }

        @Override public String toString() { return (uid ? "UID " : "SEQ ") + set; }
    }

    static final class Size extends SearchNode {
        final boolean larger;
        final long octets;

        Size(boolean larger, long octets) {
            this.larger = larger;
            this.octets = octets;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) {
            long size = m.candidate().rfc822Size();
            return larger ? size > octets : size < octets;
        }

        @Override public String toString() { return (larger ? "LARGER " : "SMALLER ") + octets; }
    }

    static final class ModSeq extends SearchNode {
        final long min;

        ModSeq(long min) {
            this.min = min;
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        // RFC 7162 3.1.5: mod-sequence equal to or greater than the given one.
        @Override boolean eval(SearchMatcher m) { return m.candidate().modSeq() >= min; }

        @Override public String toString() { return "MODSEQ " + min; }
    }

    /** BEFORE/ON/SINCE as an interval of instants, precomputed in the search zone. */
    static final class InternalDate extends SearchNode {
        /** Inclusive lower bound or null. */
        final Instant from;
        /** Exclusive upper bound or null. */
        final Instant until;

        InternalDate(SearchKey.DateOp op, LocalDate date, ZoneId zone) {
            Instant start = date.atStartOfDay(zone).toInstant();
            Instant next = date.plusDays(1).atStartOfDay(zone).toInstant();
            this.from = op == SearchKey.DateOp.BEFORE ? null : start;
            this.until = switch (op) {
                case BEFORE -> start;
                case ON -> next;
                case SINCE -> null;
            };
        }

        @Override int cost() { return COST_ATTRIBUTES; }

        @Override boolean eval(SearchMatcher m) {
            Instant t = m.candidate().internalDate();
            return (from == null || !t.isBefore(from)) && (until == null || t.isBefore(until));
        }

        @Override public String toString() { return "INTERNALDATE [" + from + ", " + until + ")"; }
    }

    static boolean compare(SearchKey.DateOp op, LocalDate actual, LocalDate wanted) {
        return switch (op) {
            case BEFORE -> actual.isBefore(wanted);
            case ON -> actual.equals(wanted);
            case SINCE -> !actual.isBefore(wanted);
        };
    }
}
