package org.mailroom.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.SessionInfo;

class TraceHeadersTest {
    static final Instant T0 = Instant.parse("2026-11-23T19:00:00Z");

    @Test
    void aLocalSubmissionNamesTheUserAndUidAndHasNoFromClause() {
        SessionInfo s = new SessionInfo("sendmail", null, null, "local", null, null, new SessionInfo.LocalUser(1000, "alice"));
        Envelope env = new Envelope("4XJ2K9ABCD", "alice@mx.example.org", List.of("bob@example.org"), s, T0);
        assertEquals("Received: by mx.example.org (Mailroom, from userid 1000 alice)\n"
                + "\tid 4XJ2K9ABCD\n"
                + "\tfor <bob@example.org>; Mon, 23 Nov 2026 19:00:00 +0000\n",
                TraceHeaders.received(env, "mx.example.org", ZoneOffset.UTC));
    }

    @Test
    void aUserWithoutPasswdEntryOrWithParenthesesCannotBreakTheComment() {
        SessionInfo s = new SessionInfo("sendmail", null, null, "local", null, null, new SessionInfo.LocalUser(-1, "a(b)\\c\n"));
        Envelope env = new Envelope("4XJ2K9ABCD", "", List.of("bob@example.org", "carol@example.org"), s, T0);
        assertEquals("Received: by mx.example.org (Mailroom, from userid a?b??c?)\n"
                + "\tid 4XJ2K9ABCD; Mon, 23 Nov 2026 19:00:00 +0000\n",
                TraceHeaders.received(env, "mx.example.org", ZoneOffset.UTC));
    }
}
