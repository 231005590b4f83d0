package org.mailroom.smtp.server;

import static org.mailroom.smtp.server.SmtpState.CONNECTED;
import static org.mailroom.smtp.server.SmtpState.GREETED;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_1;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_7_0;
import static org.mailroom.smtp.wire.ReplyCode.C502_NOT_IMPLEMENTED;
import static org.mailroom.smtp.wire.ReplyCode.C530_AUTH_REQUIRED;
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
    MAIL(EnumSet.of(GREETED), "Error: nested MAIL command", Flag.NEEDS_AUTH),
    RCPT(EnumSet.of(SmtpState.MAIL, SmtpState.RCPT), "Error: need MAIL command"),
    // DATA in MAIL state (no recipient accepted) is answered by the handler: 503 or 554 (RFC 2920 3.1)
    DATA(EnumSet.of(SmtpState.MAIL, SmtpState.RCPT), "Error: need MAIL command", Flag.FLUSH),
    // RFC 3030 2: BDAT chunks of one transaction may be pipelined; a refused BDAT's octets are
    // still read and dropped by the session, never taken as commands
    BDAT(EnumSet.of(SmtpState.MAIL, SmtpState.RCPT), "Error: need MAIL command"),
    // RFC 5321 4.1.4: RSET, NOOP, HELP, VRFY, EXPN (and QUIT) are allowed at any time
    RSET(SmtpState.COMMANDS, null),
    NOOP(SmtpState.COMMANDS, null, Flag.FLUSH),
    HELP(SmtpState.COMMANDS, null),
    VRFY(SmtpState.COMMANDS, null, Flag.FLUSH),
    EXPN(SmtpState.COMMANDS, null, Flag.FLUSH),
    QUIT(SmtpState.COMMANDS, null, Flag.FLUSH),
    // RFC 3207 4: after EHLO, not inside a transaction, not twice
    STARTTLS(EnumSet.of(GREETED), "Error: STARTTLS not allowed during a mail transaction",
            Flag.FLUSH, Flag.NEEDS_STARTTLS, Flag.NOT_UNDER_TLS),
    // RFC 4954 4: not during a mail transaction, and no second AUTH after a successful one
    AUTH(EnumSet.of(GREETED), "Error: MAIL transaction in progress", Flag.FLUSH, Flag.NEEDS_AUTH_OFFERED,
            Flag.NOT_AUTHENTICATED);

    enum Flag {
        /** Ends a pipelined command group (RFC 2920 3.1): its reply is flushed at once. */
        FLUSH,
        /** Offered only when a TLS context is configured; else 502 like any switched-off feature. */
        NEEDS_STARTTLS,
        /** Refused once TLS is active (implicit TLS or after STARTTLS). */
        NOT_UNDER_TLS,
        /** Offered only on listeners with AUTH (submission); else 502. */
        NEEDS_AUTH_OFFERED,
        /** Refused once the session authenticated (RFC 4954 4): 503. */
        NOT_AUTHENTICATED,
        /** On listeners that require AUTH, refused before it with 530 5.7.0 (RFC 4954 6). */
        NEEDS_AUTH
    }

    /** What the session knows that the table decides on. */
    record Facts(SmtpState state, boolean tlsActive, boolean startTlsOffered, boolean authOffered,
                 boolean authRequired, boolean authenticated) {}

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

    /** Throws the 502/503/530 reply when the verb may not be used now. */
    void require(Facts f) {
        SmtpState state = f.state();
        if ((has(Flag.NEEDS_STARTTLS) && !f.startTlsOffered() && !f.tlsActive())
                || (has(Flag.NEEDS_AUTH_OFFERED) && !f.authOffered())) {
            throw new SmtpReplyException(C502_NOT_IMPLEMENTED, X_5_5_1, "Error: command not implemented");
        }
        if (has(Flag.NOT_UNDER_TLS) && f.tlsActive()) {
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: TLS already active");
        }
        if (has(Flag.NOT_AUTHENTICATED) && f.authenticated()) {
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, "Error: already authenticated");
        }
        if (has(Flag.NEEDS_AUTH) && f.authRequired() && !f.authenticated() && state == GREETED) {
            throw new SmtpReplyException(C530_AUTH_REQUIRED, X_5_7_0, "Authentication required");
        }
        if (!states.contains(state)) {
            // RFC 5321 4.1.4: a session begins with EHLO or HELO
            String text = state == CONNECTED ? "Error: send HELO/EHLO first" : refusal;
            throw new SmtpReplyException(C503_BAD_SEQUENCE, X_5_5_1, text);
        }
    }
}
