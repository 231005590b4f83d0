package org.mailroom.core.store.maildir;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.mailroom.core.store.Flag;

/**
 * Maildir file names (cr.yp.to/proto/maildir.html, with Dovecot's {@code ,S=} and {@code ,W=}
 * fields): {@code <seconds>.M<micros>P<pid>Q<n>R<random>.<host>,S=<size>,W=<rfc822size>} in
 * {@code tmp/} and {@code new/}, plus {@code :2,<flags>} in {@code cur/}. Public for
 * {@link #unique} only: the daemon's delivery into Unix users' own {@code ~/Maildir/} (issue 8)
 * names files the same way.
 */
public final class MaildirName {
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long PID = ProcessHandle.current().pid();

    private MaildirName() {}

    /** A new unique name; {@code size} and {@code rfc822Size} (CRLF count) are left out when negative. */
    public static String unique(String host, long size, long rfc822Size) {
        Instant now = Instant.now();
        long micros = now.getNano() / 1000;
        String m = Long.toString(micros);
        m = "000000".substring(m.length()) + m; // fixed width, so that names sort by time as text too
        String safeHost = host.replace("/", "\\057").replace(":", "\\072");
        return now.getEpochSecond() + ".M" + m + "P" + PID + "Q" + COUNTER.incrementAndGet()
                + "R" + Long.toHexString(RANDOM.nextLong() & 0xffffffffL) + "." + safeHost
                + (size >= 0 ? ",S=" + size : "") + (rfc822Size >= 0 ? ",W=" + rfc822Size : "");
    }

    /** The name without the {@code :2,...} info part: stable across flag changes and new/ to cur/. */
    static String base(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    static Set<Flag> flags(String name) {
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        int info = name.indexOf(":2,");
        if (info < 0) return flags;
        for (int i = info + 3; i < name.length(); i++) {
            Flag f = Flag.fromMaildirLetter(name.charAt(i));
            if (f != null) flags.add(f);
        }
        return flags;
    }

    /** The value of a {@code ,S=} or {@code ,W=} field, or -1. */
    static long field(String base, char letter) {
        for (int i = base.indexOf(','); i >= 0 && i + 2 < base.length(); i = base.indexOf(',', i + 1)) {
            if (base.charAt(i + 1) != letter || base.charAt(i + 2) != '=') continue;
            int s = i + 3, e = digitsEnd(base, s);
            return e == s || e - s > 18 ? -1 : digits(base, s, e);
        }
        return -1;
    }

    /** The delivery time encoded at the start of the name, or -1 when the name does not start with one. */
    static long epochSeconds(String base) {
        int e = digitsEnd(base, 0);
        if (e == 0 || e > 12) return -1;
        return digits(base, 0, e);
    }

    /*
     * Names are ASCII (Maildir's own rule), parsed where they stand: a first look at 100,000 files
     * parses every name, and a substring for each number was a quarter of what it allocated.
     */

    /** Where the run of ASCII digits that starts at {@code from} ends. */
    private static int digitsEnd(String s, int from) {
        int e = from;
        while (e < s.length() && s.charAt(e) >= '0' && s.charAt(e) <= '9') e++;
        return e;
    }

    /** The value of the ASCII digits {@code s[from, to)}, at most 18 of them. */
    private static long digits(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }

    /** A file name for {@code cur/}: the base plus {@code :2,} and the flag letters in ASCII order. */
    static String withFlags(String base, Set<Flag> flags) {
        StringBuilder sb = new StringBuilder(base).append(":2,");
        for (Flag f : Flag.values()) if (flags.contains(f)) sb.append(f.maildirLetter()); // enum order is ASCII order
        return sb.toString();
    }

    /**
     * Arrival order of base names, for handing out UIDs: the leading seconds, then the {@code M}
     * microseconds and {@code Q} counter compared as numbers (other tools do not pad them, so
     * {@code M999} must come before {@code M12345}), then the names as text.
     */
    static int compareArrival(String a, String b) {
        int c = Long.compare(epochSeconds(a), epochSeconds(b));
        if (c != 0) return c;
        c = Long.compare(number(a, ".M"), number(b, ".M"));
        if (c != 0) return c;
        c = Long.compare(number(a, "Q"), number(b, "Q"));
        return c != 0 ? c : a.compareTo(b);
    }

    /**
     * Sorts base names in {@link #compareArrival} order, parsing each name once (a first scan of
     * 100,000 messages otherwise spends most of its time re-parsing names in comparisons).
     */
    static void sortByArrival(java.util.List<String> bases) {
        int n = bases.size();
        if (n > 1 << INDEX_BITS) {
            sortByArrival(bases, 0, n);
            return;
        }
        // the seconds decide almost always: sort them as primitives with each name's index in the
        // low bits (objects through a comparator were a third of a first look at 100,000 files),
        // then settle the runs of equal seconds by the whole comparison
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = (epochSeconds(bases.get(i)) + 1) << INDEX_BITS | i; // < 10^12 + 1
        java.util.Arrays.sort(keys);
        String[] sorted = new String[n];
        for (int i = 0; i < n; i++) sorted[i] = bases.get((int) (keys[i] & INDEX_MASK));
        for (int i = 0; i < n; i++) bases.set(i, sorted[i]);
        for (int s = 0, e; s < n; s = e) {
            e = s + 1;
            while (e < n && keys[e] >>> INDEX_BITS == keys[s] >>> INDEX_BITS) e++;
            if (e - s > 1) sortByArrival(bases, s, e);
        }
    }

    /** Indexes in the low bits of a sort key: seconds (at most 12 digits) take 40 of the other 41. */
    private static final int INDEX_BITS = 23;
    private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

    /** Sorts {@code bases[from, to)} in {@link #compareArrival} order, parsing each name once. */
    private static void sortByArrival(java.util.List<String> bases, int from, int to) {
        record Keyed(long secs, long micros, long q, String base) {}
        Keyed[] keyed = new Keyed[to - from];
        for (int i = 0; i < keyed.length; i++) {
            String b = bases.get(from + i);
            keyed[i] = new Keyed(epochSeconds(b), number(b, ".M"), number(b, "Q"), b);
        }
        java.util.Arrays.sort(keyed, (x, y) -> {
            int c = Long.compare(x.secs, y.secs);
            if (c == 0) c = Long.compare(x.micros, y.micros);
            if (c == 0) c = Long.compare(x.q, y.q);
            return c != 0 ? c : x.base.compareTo(y.base);
        });
        for (int i = 0; i < keyed.length; i++) bases.set(from + i, keyed[i].base());
    }

    private static long number(String base, String marker) {
        int i = base.indexOf(marker);
        if (i < 0) return -1;
        int s = i + marker.length(), e = Math.min(digitsEnd(base, s), s + 18);
        return e == s ? -1 : digits(base, s, e);
    }

    /** The system flags of a file name as {@link Flag#bits} (letters after {@code :2,}). */
    static int flagBits(String name) {
        int info = name.lastIndexOf(':');
        if (info < 0 || !name.startsWith("2,", info + 1)) {
            info = name.indexOf(":2,"); // a ':' in the info part itself
            if (info < 0) return 0;
        }
        int bits = 0;
        for (int i = info + 3; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < LETTER_BITS.length) bits |= LETTER_BITS[c];
        }
        return bits;
    }

    /** {@link Flag#bits} of each Maildir flag letter, by letter. */
    private static final int[] LETTER_BITS = new int[128];

    static {
        for (Flag f : Flag.values()) LETTER_BITS[f.maildirLetter()] = 1 << f.ordinal();
    }

    /**
     * The name {@code current} gets for new system flags: the base, {@code :2,}, the system letters
     * and any other letters the old name had (Dovecot keeps keywords as {@code a}-{@code z}), all in
     * ASCII order as the Maildir spec asks.
     */
    static String withFlagBits(String current, int bits) {
        String base = base(current);
        // a set of printable ASCII letters, then written in order (a STORE of 1:* renames every file)
        boolean[] letters = new boolean[128];
        int info = current.indexOf(":2,");
        if (info >= 0) {
            for (int i = info + 3; i < current.length(); i++) {
                char c = current.charAt(i);
                if (c > ' ' && c < 127 && c != '/' && LETTER_BITS[c] == 0) letters[c] = true;
            }
        }
        for (Flag f : Flag.values()) if ((bits & (1 << f.ordinal())) != 0) letters[f.maildirLetter()] = true;
        StringBuilder sb = new StringBuilder(base.length() + 10).append(base).append(":2,");
        for (char c = '!'; c < 127; c++) if (letters[c]) sb.append(c);
        return sb.toString();
    }

    /**
     * Whether {@code name} is exactly what {@link #withFlagBits} makes of {@code base} for the flags
     * {@code bits}: the base, {@code :2,} and those letters in ASCII order, nothing else.
     */
    static boolean isCanonical(String name, String base, int bits) {
        int i = base.length();
        if (!name.startsWith(base) || !name.startsWith(":2,", i)) return false;
        i += 3;
        for (Flag f : FLAGS) {
            if ((bits & (1 << f.ordinal())) == 0) continue;
            if (i >= name.length() || name.charAt(i) != f.maildirLetter()) return false;
            i++;
        }
        return i == name.length();
    }

    private static final Flag[] FLAGS = Flag.values(); // enum order is ASCII order of the letters

    /** A name is one of ours to read: not hidden, not a temporary or lock file. */
    static boolean isMessageName(String name) {
        return !name.isEmpty() && name.charAt(0) != '.';
    }
}
