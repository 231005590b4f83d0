package org.mailroom.imap.server;

import java.util.Locale;

/**
 * What a client can switch on with ENABLE (RFC 5161, RFC 9051 6.3.1). The session records them;
 * handlers ask {@link ImapContext#enabled} (CONDSTORE: MODSEQ in FETCH responses, QRESYNC: VANISHED
 * instead of EXPUNGE, UTF8=ACCEPT: UTF-8 mailbox names, IMAP4rev2: rev2 response forms).
 */
public enum Extension {
    /** RFC 7162 3.1. */
    CONDSTORE("CONDSTORE"),
    /** RFC 7162 3.2; enabling it enables {@link #CONDSTORE} too (RFC 7162 3.2.3). */
    QRESYNC("QRESYNC"),
    /** RFC 6855 3 / RFC 9051 6.3.1. */
    UTF8_ACCEPT("UTF8=ACCEPT"),
    /** RFC 9051 2.1: the client speaks IMAP4rev2. */
    IMAP4REV2("IMAP4rev2");

    private final String wire;

    Extension(String wire) {
        this.wire = wire;
    }

    /** The capability name as advertised and echoed in {@code * ENABLED}. */
    public String wire() { return wire; }

    /** The extension a client named in ENABLE (case-insensitive), or null for an unknown one. */
    public static Extension of(String name) {
        for (Extension e : values()) if (e.wire.toUpperCase(Locale.ROOT).equals(name.toUpperCase(Locale.ROOT))) return e;
        return null;
    }
}
