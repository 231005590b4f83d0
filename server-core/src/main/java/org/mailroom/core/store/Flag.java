package org.mailroom.core.store;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The system flags, with the letters Maildir keeps after {@code :2,} (in ASCII order, as the spec asks). */
public enum Flag {
    DRAFT('D', "\\Draft"),
    FLAGGED('F', "\\Flagged"),
    ANSWERED('R', "\\Answered"),
    SEEN('S', "\\Seen"),
    DELETED('T', "\\Deleted");

    private static final Flag[] VALUES = values();
    /** Every combination, shared and unmodifiable: a 100,000-message folder holds 32 flag sets, not 100,000. */
    @SuppressWarnings("unchecked")
    private static final Set<Flag>[] SETS = new Set[1 << VALUES.length];

    static {
        for (int bits = 0; bits < SETS.length; bits++) {
            EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
            for (Flag f : VALUES) if ((bits & (1 << f.ordinal())) != 0) s.add(f);
            SETS[bits] = new Shared(Collections.unmodifiableSet(s), bits);
        }
    }

    /**
     * One of the shared sets, which knows its bits: FETCH FLAGS of 100,000 messages asks each
     * message's set for them, and iterating a set was most of that.
     */
    private static final class Shared extends java.util.AbstractSet<Flag> {
        private final Set<Flag> flags;
        private final int bits;

        Shared(Set<Flag> flags, int bits) {
            this.flags = flags;
            this.bits = bits;
        }

        @Override
        public java.util.Iterator<Flag> iterator() {
            return flags.iterator();
        }

        @Override
        public int size() {
            return flags.size();
        }

        @Override
        public boolean contains(Object o) {
            return o instanceof Flag f && (bits & (1 << f.ordinal())) != 0;
        }
    }

    private final char maildirLetter;
    private final String imapName;

    Flag(char maildirLetter, String imapName) {
        this.maildirLetter = maildirLetter;
        this.imapName = imapName;
    }

    public char maildirLetter() { return maildirLetter; }

    public String imapName() { return imapName; }

    public static Flag fromMaildirLetter(char c) {
        for (Flag f : VALUES) if (f.maildirLetter == c) return f;
        return null;
    }

    /** The flag with this IMAP name, case-insensitively ({@code \seen}), or null. */
    public static Flag fromImapName(String name) {
        for (Flag f : VALUES) if (f.imapName.equalsIgnoreCase(name)) return f;
        return null;
    }

    /** A bit per flag (by ordinal). */
    public static int bits(Set<Flag> flags) {
        if (flags instanceof Shared s) return s.bits;
        int b = 0;
        for (Flag f : flags) b |= 1 << f.ordinal();
        return b;
    }

    /** The shared unmodifiable set for these bits. */
    public static Set<Flag> set(int bits) {
        return SETS[bits & (SETS.length - 1)];
    }
}
