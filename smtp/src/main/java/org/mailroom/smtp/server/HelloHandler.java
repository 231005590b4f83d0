package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.ReplyCode.C250_OK;

import java.util.ArrayList;
import java.util.List;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpCommand;

/**
 * EHLO and HELO (RFC 5321 4.1.1.1). Both end any transaction (RFC 5321 4.1.4) and are answered
 * without enhanced status codes (RFC 2034 3). Shared by every session of a listener.
 */
final class HelloHandler {
    private final SmtpSettings settings;

    HelloHandler(SmtpSettings settings) {
        this.settings = settings;
    }

    Reply ehlo(SmtpSession s, SmtpCommand.Ehlo cmd) {
        s.greeted(cmd.domain(), true);
        List<String> lines = new ArrayList<>();
        lines.add(settings.hostname());
        lines.add("PIPELINING");                              // RFC 2920
        lines.add("SIZE " + settings.maxMessageSize());       // RFC 1870
        if (s.startTlsOffered() && !s.tlsActive()) lines.add("STARTTLS"); // RFC 3207 4.2
        lines.add("ENHANCEDSTATUSCODES");                     // RFC 2034
        lines.add("8BITMIME");                                // RFC 6152
        lines.add("DSN");                                     // RFC 3461
        lines.add("SMTPUTF8");                                // RFC 6531
        lines.add("CHUNKING");                                // RFC 3030
        lines.add("BINARYMIME");                              // RFC 3030 3, with BDAT only
        String auth = s.authKeyword();                        // RFC 4954 3
        if (auth != null) lines.add(auth);
        return new Reply(C250_OK, null, lines);
    }

    Reply helo(SmtpSession s, SmtpCommand.Helo cmd) {
        s.greeted(cmd.domain(), false);
        return Reply.plain(C250_OK, settings.hostname());
    }
}
