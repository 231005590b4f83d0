package org.mailroom.imap.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A {@code sequence-set} (RFC 9051 section 9): message sequence numbers or UIDs as a comma list of
 * numbers and ranges, where {@code *} is the largest number in use, or {@code $}, the saved result
 * of the last {@code SEARCH RETURN (SAVE)} (RFC 9051 6.4.4.1, RFC 5182).
 *
 * <pre>
 * seq-number       = nz-number / "*"
 * seq-range        = seq-number ":" seq-number
 * sequence-set     = (seq-number / seq-range) ["," sequence-set]
 * sequence-set     =/ seq-last-command
 * seq-last-command = "$"
 * nz-number        = digit-nz *DIGIT        ; (0 &lt; n &lt; 4,294,967,296)
 * </pre>
 *
 * <p>A range is unordered: {@code *:4} is {@code 4:*}, and when the largest number in use is 2
 * both mean 2, 3, 4 (RFC 9051 9, "seq-range"). This class resolves {@code *} only when asked,
 * against the {@code largest} the caller passes; it never knows a mailbox. {@code $} cannot be
 * resolved here: {@link #isSavedResult()} tells the session to substitute its saved set.
 *
 * <p>Immutable. Parsing is bounded: at most {@link #MAX_RANGES} comma-separated items.
 */
public final class SequenceSet {

    /** Largest {@code nz-number}: 2^32 - 1. */
    public static final long MAX_NUMBER = 0xFFFF_FFFFL;

    /** At most this many comma-separated items are accepted by {@link #parse(String)}. */
    public static final int MAX_RANGES = 10_000;

    /** Stands for {@code *} inside {@link #items}. */
    private static final long STAR = -1;

    private static final SequenceSet SAVED = new SequenceSet(new long[0][], true);

    /** Items as written, each {low, high} with low &lt;= high in the order where * is largest. */
    private final long[][] items;
    private final boolean saved;

    private SequenceSet(long[][] items, boolean saved) {
        this.items = items;
        this.saved = saved;
    }

    /**
     * Parses the wire form.
     *
     * @throws ImapSyntaxException on anything the grammar above does not produce, on numbers above
     *     {@link #MAX_NUMBER} and on more than {@link #MAX_RANGES} items
     */
    public static SequenceSet parse(String text) throws ImapSyntaxException {
        if (text == null || text.isEmpty()) {
            throw new ImapSyntaxException("empty sequence set");
        }
        if (text.equals("$")) {
            return SAVED;
        }
        List<long[]> items = new ArrayList<>();
        int pos = 0;
        int len = text.length();
        while (true) {
            if (items.size() == MAX_RANGES) {
                throw new ImapSyntaxException("sequence set has more than " + MAX_RANGES + " ranges");
            }
            int[] cursor = {pos};
            long a = seqNumber(text, cursor);
            long b = a;
            pos = cursor[0];
            if (pos < len && text.charAt(pos) == ':') {
                cursor[0] = pos + 1;
                b = seqNumber(text, cursor);
                pos = cursor[0];
            }
            items.add(order(a, b));
            if (pos == len) {
                break;
            }
            if (text.charAt(pos) != ',') {
                throw new ImapSyntaxException("unexpected '" + text.charAt(pos) + "' in sequence set");
            }
            pos++;
        }
        return new SequenceSet(items.toArray(new long[0][]), false);
    }

    /** The set {@code low:high} (either may be {@link #MAX_NUMBER}); for building responses. */
    public static SequenceSet of(long low, long high) {
        check(low);
        check(high);
        return new SequenceSet(new long[][] {order(low, high)}, false);
    }

    private static void check(long n) {
        if (n < 1 || n > MAX_NUMBER) {
            throw new IllegalArgumentException("not an nz-number: " + n);
        }
    }

    private static long seqNumber(String text, int[] cursor) throws ImapSyntaxException {
        int pos = cursor[0];
        if (pos >= text.length()) {
            throw new ImapSyntaxException("sequence set ends where a number was expected");
        }
        char c = text.charAt(pos);
        if (c == '*') {
            cursor[0] = pos + 1;
            return STAR;
        }
        if (c < '1' || c > '9') {
            throw new ImapSyntaxException(c == '0'
                    ? "sequence number 0 (or leading zero) in sequence set"
                    : "unexpected '" + c + "' in sequence set");
        }
        long n = 0;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            n = n * 10 + (text.charAt(pos) - '0');
            if (n > MAX_NUMBER) {
                throw new ImapSyntaxException("number in sequence set exceeds " + MAX_NUMBER);
            }
            pos++;
        }
        cursor[0] = pos;
        return n;
    }

    private static long[] order(long a, long b) {
        if (a == STAR) {
            return new long[] {b, STAR};
        }
        if (b == STAR) {
            return new long[] {a, STAR};
        }
        return new long[] {Math.min(a, b), Math.max(a, b)};
    }

    /** {@code true} for {@code $}: the session must use its saved search result instead. */
    public boolean isSavedResult() {
        return saved;
    }

    /** {@code true} if some item mentions {@code *}. */
    public boolean usesStar() {
        for (long[] item : items) {
            if (item[0] == STAR || item[1] == STAR) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code n} is in the set when {@code largest} is the largest number in use (the
     * message count for sequence numbers, the highest UID for UIDs). With {@code largest == 0}, an
     * empty mailbox, items with {@code *} contain nothing.
     *
     * @throws IllegalStateException for {@code $}
     */
    public boolean contains(long n, long largest) {
        requireResolvable();
        for (long[] item : items) {
            long[] r = resolve(item, largest);
            if (r != null && n >= r[0] && n <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The set as ascending, disjoint, non-adjacent {@code {low, high}} ranges with {@code *}
     * replaced by {@code largest} (see {@link #contains}); a fresh list of fresh arrays. Numbers
     * above {@code largest} that were written explicitly stay in: clipping to existing messages is
     * the caller's business (RFC 9051 6.4.8 treats UIDs and sequence numbers differently).
     *
     * @throws IllegalStateException for {@code $}
     */
    public List<long[]> ranges(long largest) {
        requireResolvable();
        List<long[]> resolved = new ArrayList<>(items.length);
        for (long[] item : items) {
            long[] r = resolve(item, largest);
            if (r != null) {
                resolved.add(r);
            }
        }
        return Collections.unmodifiableList(merge(resolved));
    }

    private void requireResolvable() {
        if (saved) {
            throw new IllegalStateException("$ must be replaced by the saved search result");
        }
    }

    private static long[] resolve(long[] item, long largest) {
        if (largest < 0) {
            throw new IllegalArgumentException("negative largest " + largest);
        }
        long a = item[0];
        long b = item[1];
        if (b == STAR) {
            if (largest == 0) {
                return null;
            }
            b = largest;
            a = a == STAR ? largest : a;
        }
        return new long[] {Math.min(a, b), Math.max(a, b)};
    }

    private static List<long[]> merge(List<long[]> ranges) {
        ranges.sort(Comparator.comparingLong((long[] r) -> r[0]).thenComparingLong(r -> r[1]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Canonical form: {@code $}, or the items without {@code *} sorted and merged, followed by the
     * items with {@code *} sorted by their number ({@code *} alone last), each written low first,
     * and {@code n:n} as {@code n}. Two sets with equal canonical forms are equal; {@code parse}
     * of the canonical form gives it back.
     */
    @Override
    public String toString() {
        if (saved) {
            return "$";
        }
        List<long[]> finite = new ArrayList<>();
        List<long[]> starred = new ArrayList<>();
        for (long[] item : items) {
            (item[1] == STAR ? starred : finite).add(item.clone());
        }
        StringBuilder sb = new StringBuilder();
        for (long[] r : merge(finite)) {
            append(sb, r);
        }
        starred.sort(Comparator.comparingLong((long[] r) -> r[0] == STAR ? Long.MAX_VALUE : r[0]));
        long previous = 0;
        for (long[] r : starred) {
            if (r[0] != previous) {
                append(sb, r);
                previous = r[0];
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, long[] r) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(r[0] == STAR ? "*" : Long.toString(r[0]));
        if (r[1] != r[0]) {
            sb.append(':').append(r[1] == STAR ? "*" : Long.toString(r[1]));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequenceSet other && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
