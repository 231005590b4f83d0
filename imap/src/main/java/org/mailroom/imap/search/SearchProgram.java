package org.mailroom.imap.search;

import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.mailroom.core.exec.Parallel;
import org.mailroom.core.store.Flag;
import org.mailroom.imap.wire.SearchKey;

/**
 * A {@link SearchKey} compiled for evaluation against many messages: text needles prepared,
 * dates turned into instants in the search zone, {@code $} bound to the saved result, and AND/OR
 * operands ordered by cost (attributes, then header, then whole message) so that the cheap keys
 * decide first and the message is read only when a key that needs it still decides the result.
 * Reordering never changes the result: AND and OR are commutative and the keys have no side
 * effects.
 *
 * <p>Immutable and thread-safe. Evaluate with a {@link SearchMatcher} per thread
 * ({@link #matcher()}), or let {@link #matchAll} spread a list of candidates over threads.
 */
public final class SearchProgram {

    private final SearchKey key;
    private final SearchNode root;

    private SearchProgram(SearchKey key, SearchNode root) {
        this.key = key;
        this.root = root;
    }

    /** Compiles with the JVM's default zone for BEFORE/ON/SINCE and no saved result. */
    public static SearchProgram compile(SearchKey key) {
        return compile(key, ZoneId.systemDefault(), SavedResult.EMPTY);
    }

    /**
     * Compiles the key.
     *
     * @param zone  the zone whose calendar BEFORE/ON/SINCE use for the internal date (RFC 9051
     *              6.4.4 leaves it to the server; Dovecot uses the server's local zone, and so
     *              should the session unless configured otherwise), and the fallback for
     *              SENT* on a message without a readable Date:
     * @param saved what {@code $} stands for (RFC 5182); {@link SavedResult#EMPTY} if nothing is saved
     */
    public static SearchProgram compile(SearchKey key, ZoneId zone, SavedResult saved) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(saved, "saved");
        return new SearchProgram(key, node(key, zone, saved));
    }

    /**
     * Whether the key mentions {@code $} anywhere, so the session can order it after a pending
     * {@code SEARCH RETURN (SAVE)} (RFC 5182 2.1) and bind the saved result before compiling.
     */
    public static boolean usesSavedResult(SearchKey key) {
        if (key instanceof SearchKey.Seq seq) {
            return seq.set().isSavedResult();
        }
        if (key instanceof SearchKey.Uid uid) {
            return uid.set().isSavedResult();
        }
        if (key instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(SearchProgram::usesSavedResult);
        }
        if (key instanceof SearchKey.Or or) {
            return usesSavedResult(or.left()) || usesSavedResult(or.right());
        }
        if (key instanceof SearchKey.Not not) {
            return usesSavedResult(not.key());
        }
        return false;
    }

    /** The key this program was compiled from. */
    public SearchKey key() {
        return key;
    }

    /** A new matcher with its own scratch buffers; use one per thread. */
    public SearchMatcher matcher() {
        return new SearchMatcher(root);
    }

    /** Convenience for a single message: {@code matcher().matches(c)}. Loops should keep a matcher. */
    public boolean matches(Candidate c) throws IOException {
        return matcher().matches(c);
    }

    /** Whether some key may need the header block (HEADER, FROM..., SENT*). */
    public boolean readsHeader() {
        return root.cost() >= SearchNode.COST_HEADER;
    }

    /**
     * The header fields (lower case) that the keys read from the header block: those of HEADER,
     * FROM, TO, CC, BCC, SUBJECT, and {@code date} for SENT*. A candidate may then offer a header
     * block with just these fields ({@link Candidate#openHeader()}).
     */
    public java.util.Set<String> headerFields() {
        java.util.Set<String> out = new java.util.HashSet<>();
        collectFields(root, out);
        return out;
    }

    private static void collectFields(SearchNode n, java.util.Set<String> out) {
        if (n instanceof TextNodes.Header h) {
            out.add(new String(h.lowerName, java.nio.charset.StandardCharsets.UTF_8));
        } else if (n instanceof TextNodes.Sent) {
            out.add("date");
        } else if (n instanceof SearchNode.And a) {
            for (SearchNode o : a.operands) collectFields(o, out);
        } else if (n instanceof SearchNode.Or o) {
            for (SearchNode x : o.operands) collectFields(x, out);
        } else if (n instanceof SearchNode.Not x) {
            collectFields(x.operand, out);
        }
    }

    /** Whether some key may need the whole message (BODY, TEXT). */
    public boolean readsMessage() {
        return root.cost() >= SearchNode.COST_MESSAGE;
    }

    /**
     * Evaluates every candidate, on the calling thread and on up to {@code parallelism - 1} tasks
     * submitted to {@code executor}, each with its own matcher, claiming candidates in small
     * batches. The caller never waits for a task that has not started (a task that starts late
     * finds nothing left and ends), so an executor that is busy, even the one the caller runs on,
     * cannot deadlock this; it only lowers the parallelism. Blocking: call it from the blocking
     * executor, never from an event loop.
     *
     * @return the indexes into {@code candidates} of the messages that match
     * @throws IOException the first failure of any candidate; the others are not evaluated further
     */
    public BitSet matchAll(List<? extends Candidate> candidates, Executor executor, int parallelism)
            throws IOException {
        return matchAll(candidates, executor, new Parallel.Width(parallelism, parallelism));
    }

    /** {@link #matchAll(List, Executor, int)} with more reads in flight while the disk is slow ({@link Parallel.Width}). */
    public BitSet matchAll(List<? extends Candidate> candidates, Executor executor, Parallel.Width width)
            throws IOException {
        return new ParallelSearch(this, candidates).run(executor, width);
    }

    @Override
    public String toString() {
        return root.toString();
    }

    private static SearchNode node(SearchKey key, ZoneId zone, SavedResult saved) {
        if (key instanceof SearchKey.All) {
            return SearchNode.Const.TRUE;
        }
        if (key instanceof SearchKey.And and) {
            return and(and.keys(), zone, saved);
        }
        if (key instanceof SearchKey.Or or) {
            List<SearchNode> operands = new ArrayList<>();
            flattenOr(or, zone, saved, operands);
            return or(operands);
        }
        if (key instanceof SearchKey.Not not) {
            SearchNode inner = node(not.key(), zone, saved);
            if (inner instanceof SearchNode.Not doubled) {
                return doubled.operand;
            }
            if (inner instanceof SearchNode.Const c) {
                return c.value ? SearchNode.Const.FALSE : SearchNode.Const.TRUE;
            }
            return new SearchNode.Not(inner);
        }
        if (key instanceof SearchKey.Flag flag) {
            return flag(flag);
        }
        if (key instanceof SearchKey.Keyword kw) {
            return new SearchNode.HasKeyword(kw.keyword(), kw.set());
        }
        if (key instanceof SearchKey.Recent recent) {
            return new SearchNode.Recent(recent);
        }
        if (key instanceof SearchKey.Seq seq) {
            return new SearchNode.InSet(seq.set(), false, saved);
        }
        if (key instanceof SearchKey.Uid uid) {
            return new SearchNode.InSet(uid.set(), true, saved);
        }
        if (key instanceof SearchKey.Header h) {
            return new TextNodes.Header(h.field(), h.value());
        }
        if (key instanceof SearchKey.Body body) {
            return new TextNodes.Body(body.text());
        }
        if (key instanceof SearchKey.Text text) {
            return new TextNodes.Text(text.text());
        }
        if (key instanceof SearchKey.Date date) {
            return date.field() == SearchKey.DateField.INTERNAL
                    ? new SearchNode.InternalDate(date.op(), date.date(), zone)
                    : new TextNodes.Sent(date.op(), date.date(), zone);
        }
        if (key instanceof SearchKey.Size size) {
            return new SearchNode.Size(size.larger(), size.octets());
        }
        if (key instanceof SearchKey.ModSeq modSeq) {
            return new SearchNode.ModSeq(modSeq.modSeq());
        }
        throw new IllegalArgumentException("unknown search key " + key);
    }

    private static SearchNode flag(SearchKey.Flag flag) {
        String name = flag.name().toLowerCase(Locale.ROOT);
        if (name.equals("\\recent")) {
            return flag.set() ? new SearchNode.Recent(SearchKey.Recent.RECENT)
                    : new SearchNode.Recent(SearchKey.Recent.OLD);
        }
        for (Flag f : Flag.values()) {
            if (f.imapName().toLowerCase(Locale.ROOT).equals(name)) {
                return new SearchNode.HasFlag(f, flag.set());
            }
        }
        // XXX not a system flag (the parser should not produce this): no message has it.
        return flag.set() ? SearchNode.Const.FALSE : SearchNode.Const.TRUE;
    }

    private static SearchNode and(List<SearchKey> keys, ZoneId zone, SavedResult saved) {
        List<SearchNode> operands = new ArrayList<>();
        for (SearchKey k : keys) {
            SearchNode n = node(k, zone, saved);
            if (n == SearchNode.Const.FALSE) {
                return n;
            }
            if (n instanceof SearchNode.And inner) {
                operands.addAll(List.of(inner.operands));
            } else if (n != SearchNode.Const.TRUE) {
                operands.add(n);
            }
        }
        if (operands.isEmpty()) {
            return SearchNode.Const.TRUE;
        }
        if (operands.size() == 1) {
            return operands.get(0);
        }
        operands.sort(Comparator.comparingInt(SearchNode::cost)); // stable: equal costs keep their order
        return new SearchNode.And(operands);
    }

    private static void flattenOr(SearchKey k, ZoneId zone, SavedResult saved, List<SearchNode> out) {
        if (k instanceof SearchKey.Or or) {
            flattenOr(or.left(), zone, saved, out);
            flattenOr(or.right(), zone, saved, out);
        } else {
            out.add(node(k, zone, saved));
        }
    }

    private static SearchNode or(List<SearchNode> all) {
        List<SearchNode> operands = new ArrayList<>();
        for (SearchNode n : all) {
            if (n == SearchNode.Const.TRUE) {
                return n;
            }
            if (n != SearchNode.Const.FALSE) {
                operands.add(n);
            }
        }
        if (operands.isEmpty()) {
            return SearchNode.Const.FALSE;
        }
        if (operands.size() == 1) {
            return operands.get(0);
        }
        operands.sort(Comparator.comparingInt(SearchNode::cost));
        return new SearchNode.Or(operands);
    }
}
