package org.mailroom.core.store.mbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mailroom.core.store.Flag;

class MboxFormatTest {

    private static byte[] stored(String content, int flags, Set<String> kws) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MboxFormat.write(out, MboxFormat.separator("a@example.org", Instant.parse("2025-11-03T09:05:01Z"), ZoneOffset.UTC),
                new ByteArrayInputStream(content.getBytes(UTF_8)), flags, kws, content.isEmpty() || content.endsWith("\n"));
        return out.toByteArray();
    }

    private static String rendered(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MboxFormat.render(raw, out);
        return out.toString(UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Subject: a\n\nbody\n",
        "Subject: a\n\nFrom here\n>From there\n>>>From deep\nFrom\n From not at start\n",
        "Subject: ends in blank lines\n\nbody\n\n\n",
        "Subject: no body\n\n",
        "Subject: folded\n continued\nX-Other: Status: RO\n\nStatus: RO in the body stays\n",
        "Subject: crlf\r\n\r\nbody\r\nFrom crlf\r\n",
        "Subject: no final newline\n\nbody",
        "header only\n",
        "header only, no newline",
        "Subject: a\n\n\n",
        "",
    })
    void writtenThenRenderedIsTheSameMessageWithTheSizeDescribed(String content) throws Exception {
        byte[] raw = stored(content, 0, Set.of());
        assertEquals(content, rendered(raw));
        MboxFormat.Described d = MboxFormat.describe(raw);
        assertEquals(content.getBytes(UTF_8).length, d.size());
        assertEquals(content.chars().filter(c -> c == '\n').count(), d.lines());
        assertEquals(Instant.parse("2025-11-03T09:05:01Z"), d.date());
        // flags are in the stored form only, and do not change the key
        byte[] flagged = MboxFormat.withFlags(raw, MboxFormat.bit(Flag.SEEN) | MboxFormat.bit(Flag.DELETED), Set.of("$Junk"));
        assertEquals(content, rendered(flagged));
        MboxFormat.Described f = MboxFormat.describe(flagged);
        assertEquals(d.key(), f.key());
        assertEquals(Flag.bits(Set.of(Flag.SEEN, Flag.DELETED)), f.flags());
        assertEquals(Set.of("$Junk"), f.keywords());
    }

    @Test
    void separatorIsAsctimeWithASpacePaddedDay() {
        assertEquals("From a@example.org Mon Nov  3 09:05:01 2025\n", new String(MboxFormat.separator("a@example.org",
                Instant.parse("2025-11-03T09:05:01Z"), ZoneOffset.UTC), UTF_8));
        assertEquals("From MAILER-DAEMON Sun Nov 23 22:00:00 2025\n", new String(MboxFormat.separator("",
                Instant.parse("2025-11-23T22:00:00Z"), ZoneOffset.UTC), UTF_8));
    }

    @Test
    void theKeyTellsMessagesApartByHeader() throws Exception {
        assertNotEquals(MboxFormat.describe(stored("Subject: a\n\nx\n", 0, Set.of())).key(),
                MboxFormat.describe(stored("Subject: b\n\nx\n", 0, Set.of())).key());
    }

    @Test
    void flagHeadersAsMuttWritesThem() throws Exception {
        String s = new String(stored("Subject: a\n\nbody\n", Flag.bits(Set.of(Flag.SEEN, Flag.ANSWERED, Flag.FLAGGED,
                Flag.DRAFT)), Set.of()), UTF_8);
        assertEquals("From a@example.org Mon Nov  3 09:05:01 2025\nSubject: a\nStatus: RO\nX-Status: AFT\n\nbody\n\n", s);
    }
}
