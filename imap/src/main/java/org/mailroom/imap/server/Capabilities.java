package org.mailroom.imap.server;

import org.mailroom.core.sasl.SaslMechanism;
import org.mailroom.core.sasl.SaslMechanisms;

/**
 * The capability list (RFC 9051 7.2.2) as it stands for one connection: what the greeting's
 * {@code [CAPABILITY]} code, CAPABILITY and the tagged OK of a login show. Before login it names the
 * ways in: {@code STARTTLS} while it is available, {@code AUTH=} mechanisms where a password may
 * cross, else {@code LOGINDISABLED} (RFC 9051 6.2.3, 11.1); after login the extensions. One per
 * listener.
 */
final class Capabilities {
    /** Offered in every state. */
    private static final String BASE = "IMAP4rev1 IMAP4rev2 LITERAL+ SASL-IR ID ENABLE IDLE";

    /**
     * After login. RFC 4315 UIDPLUS, 6851 MOVE, 2342 NAMESPACE, 3348 CHILDREN, 6154 SPECIAL-USE and
     * CREATE-SPECIAL-USE, 5258 LIST-EXTENDED, 5819 LIST-STATUS, 4731 ESEARCH, 5182 SEARCHRES,
     * 8438 STATUS=SIZE, 7162 CONDSTORE QRESYNC, 9208 QUOTA, 4978 COMPRESS=DEFLATE, 6855 UTF8=ACCEPT,
     * 3516 BINARY, 3691 UNSELECT; APPENDLIMIT (RFC 7889) is added with its value.
     */
    private static final String AFTER_LOGIN = " UNSELECT UIDPLUS MOVE NAMESPACE CHILDREN SPECIAL-USE CREATE-SPECIAL-USE"
            + " LIST-EXTENDED LIST-STATUS ESEARCH SEARCHRES STATUS=SIZE CONDSTORE QRESYNC QUOTA QUOTA=RES-STORAGE"
            + " QUOTA=RES-MESSAGE COMPRESS=DEFLATE UTF8=ACCEPT BINARY";

    private final SaslMechanisms mechanisms;
    private final String afterLogin;

    Capabilities(ImapSettings settings, SaslMechanisms mechanisms) {
        this.mechanisms = mechanisms;
        this.afterLogin = BASE + AFTER_LOGIN + " APPENDLIMIT=" + settings.appendLimit();
    }

    SaslMechanisms mechanisms() { return mechanisms; }

    /** The list for {@code ctx} now, without the {@code CAPABILITY} keyword. */
    String of(ImapContext ctx) {
        if (ctx.state() != ImapState.NOT_AUTHENTICATED) return afterLogin;
        StringBuilder b = new StringBuilder(128).append(BASE);
        if (ctx.startTlsAvailable()) b.append(" STARTTLS"); // RFC 9051 6.2.1
        if (ctx.plaintextLoginAllowed()) {
            // RFC 9051 6.2.2: AUTH=<mechanism>. XXX Like SMTP AUTH, even SCRAM waits for TLS (or an
            // allowed loopback client): the password would not cross, but the session after it would
            for (SaslMechanism m : mechanisms.all()) b.append(" AUTH=").append(m.name());
        } else {
            b.append(" LOGINDISABLED"); // RFC 9051 6.2.3
        }
        return b.toString();
    }
}
