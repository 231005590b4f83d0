package org.mailroom.pop3;

/**
 * A parsed command line (STYLE.md 1.2 point 2). The parser guarantees each record's command, so
 * the session can switch on {@link #command()} and cast.
 */
public sealed interface Pop3Request {

    Pop3Command command();

    /** CAPA, QUIT, STLS, STAT, NOOP, RSET: no arguments. */
    record Bare(Pop3Command command) implements Pop3Request {}

    record User(String name) implements Pop3Request {
        @Override public Pop3Command command() { return Pop3Command.USER; }
    }

    /** The password is everything after {@code "PASS "}, spaces included. */
    record Pass(String password) implements Pop3Request {
        @Override public Pop3Command command() { return Pop3Command.PASS; }

        @Override public String toString() { return "Pass[<hidden>]"; }
    }

    /** @param initialResponse RFC 5034 4: base64, {@code "="} for empty, or null when absent */
    record Auth(String mechanism, String initialResponse) implements Pop3Request {
        @Override public Pop3Command command() { return Pop3Command.AUTH; }

        @Override public String toString() { return "Auth[" + mechanism + ", <hidden>]"; }
    }

    /** LIST, UIDL (msg optional: {@link #ALL}), RETR, DELE (msg required). */
    record Numbered(Pop3Command command, int msg) implements Pop3Request {
        public static final int ALL = -1;
    }

    record Top(int msg, int lines) implements Pop3Request {
        @Override public Pop3Command command() { return Pop3Command.TOP; }
    }
}
