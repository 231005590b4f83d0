package org.mailroom.smtp.server;

import static org.mailroom.smtp.server.SmtpState.CONNECTED;
import static org.mailroom.smtp.server.SmtpState.GREETED;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_1;
import static org.mailroom.smtp.wire.ReplyCode.C502_NOT_IMPLEMENTED;
import static org.mailroom.smtp.wire.ReplyCode.C503_BAD_SEQUENCE;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.mailroom.smtp.wire.SmtpReplyException;

/**
 * The command table (Postfix {@code smtpd_cmd_table}): every verb with the states it is allowed in
 * and its flags. {@link SmtpSession} checks them once, through {@link #require}, before the
 * command's arguments are even parsed, so handlers never ask "is this allowed now".
 */
enum SmtpVerb {
    // RFC 5321 4.1.4: EHLO/HELO may come at any time and reset the transaction
    EHLO(SmtpState.COMMANDS, null, Flag.FLUSH),
    HELO(SmtpState.COMMANDS, null, Flag.FLUSH),
    MAIL(EnumSet.of(GREETED), "Error: nested MAIL command"),
    RCPT(EnumSet.of(SmtpState.MAIL, SmtpState.RCPT), "Error: need MAIL command"),
    // DATA in MAIL state (no recipient accepted) is answered by the handler: 503 or 554 (RFC 2920 3.1)
    DATA(EnumSet.of(SmtpState.MAIL, SmtpState.RCPT), "Error: need MAIL command", Flag.FLUSH),
    // RFC 5321 4.1.4: RSET, NOOP, HELP, VRFY, EXPN (and QUIT) are allowed at any time
    RSET(SmtpState.COMMANDS, null),
    NOOP(SmtpState.COMMANDS, null, Flag.FLUSH),
    HELP(SmtpState.COMMANDS, null),
    VRFY(SmtpState.COMMANDS, null, Flag.FLUSH),
    EXPN(SmtpState.COMMANDS, null, Flag.FLUSH),
    QUIT(SmtpState.COMMANDS, null, Flag.FLUSH),
    // RFC 3207 4: after EHLO, not inside a transaction, not twice
    STARTTLS(EnumSet.of(GREETED), "Error: STARTTLS not allowed during a mail transaction",
            Flag.FLUSH, Flag.NEEDS_STARTTLS, Flag.NOT_UNDER_TLS);

    enum Flag {
        /** Ends a pipelined command group (RFC 2920 3.1): its reply is flushed at once. */
        FLUSH,
        /** Offered only when a TLS context is configured; else 502 like any switched-off feature. */
        NEEDS_STARTTLS,
        /** Refused once TLS is active (implicit TLS or after STARTTLS). */
        NOT_UNDER_TLS
    }

    private static final Map<String, SmtpVerb> BY_NAME = new HashMap<>();

    static {
        for (SmtpVerb v : values()) BY_NAME.put(v.name(), v);
    }

    private final Set<SmtpState> states;
    private final String refusal;
    private final Set<Flag> flags;

    SmtpVerb(Set<SmtpState> states, String refusal, Flag... flags) {
        this.states = states;
        this.refusal = refusal;
        this.flags = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
    }

    /** The verb for an upper-cased name, or null. */
    static SmtpVerb of(String name) {
        return BY_NAME.get(name);
    }

    boolean has(Flag f) { return flags.contains(f); }

    /** Throws the 502/503 reply when the verb may not be used now. */
    void require(SmtpState state, boolean tlsActive, boolean startTlsOffered) {
        if (has(Flag.NEEDS_STARTTLS) && !startTlsOffered && !tlsActive) {
            throw new SmtpReplyException(C502_NOT_IMPLEMENTED, X_5_5_1, "Error: command not implemented");
        }
        if (has(Flag.NOT_UNDER_TLS) && tlsActive) {
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: TLS already active");
        }
        if (!states.contains(state)) {
            // RFC 5321 4.1.4: a session begins with EHLO or HELO
            String text = state == CONNECTED ? "Error: send HELO/EHLO first" : refusal;
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, text);
        }
    }
}
