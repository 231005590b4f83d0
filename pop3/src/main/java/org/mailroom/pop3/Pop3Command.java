package org.mailroom.pop3;

import static org.mailroom.pop3.Pop3State.AUTHORIZATION;
import static org.mailroom.pop3.Pop3State.TRANSACTION;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The command table (Postfix {@code smtpd_cmd_table}, Dovecot {@code pop3_commands[]}): every
 * command with the states it is valid in and its flags. {@link Pop3Session} checks both once,
 * before any handler runs, so handlers never ask "is this allowed now". No command is valid in
 * {@link Pop3State#UPDATE}: input is paused until the session closes.
 */
public enum Pop3Command {
    // RFC 2449 5: CAPA is valid in both states.
    CAPA(EnumSet.of(AUTHORIZATION, TRANSACTION)),
    // RFC 1939 5 and 6: QUIT in AUTHORIZATION just closes, in TRANSACTION it enters UPDATE.
    QUIT(EnumSet.of(AUTHORIZATION, TRANSACTION)),
    // RFC 2595 4: only in AUTHORIZATION.
    STLS(EnumSet.of(AUTHORIZATION)),
    // RFC 1939 7, RFC 5034 4: the password travels in the clear unless TLS protects it.
    USER(EnumSet.of(AUTHORIZATION), Flag.PLAINTEXT_LOGIN),
    PASS(EnumSet.of(AUTHORIZATION), Flag.PLAINTEXT_LOGIN),
    AUTH(EnumSet.of(AUTHORIZATION), Flag.PLAINTEXT_LOGIN),
    // RFC 1939 5.
    STAT(EnumSet.of(TRANSACTION)),
    LIST(EnumSet.of(TRANSACTION)),
    RETR(EnumSet.of(TRANSACTION)),
    DELE(EnumSet.of(TRANSACTION)),
    NOOP(EnumSet.of(TRANSACTION)),
    RSET(EnumSet.of(TRANSACTION)),
    // RFC 1939 7 (optional commands).
    TOP(EnumSet.of(TRANSACTION)),
    UIDL(EnumSet.of(TRANSACTION));

    /** Semantic flags the dispatcher acts on. */
    public enum Flag {
        /**
         * Sends a password in the clear: refused with {@code -ERR [AUTH]} unless TLS is active or the
         * client is on loopback and the listener allows it (RFC 2595 2.2, RFC 5034 4).
         */
        PLAINTEXT_LOGIN
    }

    private final Set<Pop3State> states;
    private final Set<Flag> flags;

    Pop3Command(Set<Pop3State> states, Flag... flags) {
        this.states = states;
        this.flags = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
    }

    public boolean allowedIn(Pop3State state) { return states.contains(state); }

    public boolean has(Flag flag) { return flags.contains(flag); }

    /** The command for a keyword (RFC 1939 3: case-insensitive), or null. */
    public static Pop3Command lookup(String keyword) {
        if (keyword.length() < 3 || keyword.length() > 4) return null;
        try {
            return valueOf(keyword.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
