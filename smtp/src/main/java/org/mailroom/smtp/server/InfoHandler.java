package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.EnhancedStatus.X_2_0_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_2_5_2;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_1;
import static org.mailroom.smtp.wire.ReplyCode.C214_HELP;
import static org.mailroom.smtp.wire.ReplyCode.C221_CLOSING;
import static org.mailroom.smtp.wire.ReplyCode.C250_OK;
import static org.mailroom.smtp.wire.ReplyCode.C252_CANNOT_VRFY;
import static org.mailroom.smtp.wire.ReplyCode.C502_NOT_IMPLEMENTED;

import org.mailroom.smtp.wire.Reply;

/** NOOP, HELP, VRFY, EXPN and QUIT: commands that never touch the transaction. */
final class InfoHandler {
    static final Reply OK = new Reply(C250_OK, X_2_0_0, "Ok");

    /** RFC 5321 4.1.1.9. */
    Reply noop() {
        return OK;
    }

    /** RFC 5321 4.1.1.8: the text is for humans. */
    Reply help() {
        return new Reply(C214_HELP, X_2_0_0, "See RFC 5321, https://www.rfc-editor.org/rfc/rfc5321");
    }

    /**
     * RFC 5321 3.5.3: 252 says the address cannot be verified but mail to it will be tried, so that
     * VRFY does not disclose which accounts exist (RFC 5321 7.3). 2.5.2 as sendmail answers it.
     */
    Reply vrfy() {
        return new Reply(C252_CANNOT_VRFY, X_2_5_2, "Cannot VRFY user, but will accept message");
    }

    /** RFC 5321 3.5.2, 7.3: list expansion is disclosed to nobody. */
    Reply expn() {
        return new Reply(C502_NOT_IMPLEMENTED, X_5_5_1, "EXPN not available");
    }

    /** RFC 5321 4.1.1.10: the session closes after this reply. */
    Reply quit() {
        return new Reply(C221_CLOSING, X_2_0_0, "Bye");
    }
}
