package org.mailroom.core.store;

/** The system flags, with the letters Maildir keeps after {@code :2,} (in ASCII order, as the spec asks). */
public enum Flag {
    DRAFT('D', "\\Draft"),
    FLAGGED('F', "\\Flagged"),
    ANSWERED('R', "\\Answered"),
    SEEN('S', "\\Seen"),
    DELETED('T', "\\Deleted");

    private final char maildirLetter;
    private final String imapName;

    Flag(char maildirLetter, String imapName) {
        this.maildirLetter = maildirLetter;
        this.imapName = imapName;
    }

    public char maildirLetter() { return maildirLetter; }

    public String imapName() { return imapName; }

    public static Flag fromMaildirLetter(char c) {
        for (Flag f : values()) if (f.maildirLetter == c) return f;
        return null;
    }
}
