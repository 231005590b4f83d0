package org.mailroom.delivery.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.mailroom.core.store.ContentBuffer;

/** Fixed inputs and a Mime4j reading of built reports, shared by the DSN tests. */
final class Reports {
    static final Instant NOW = Instant.parse("2026-11-23T19:00:00Z");
    static final Instant ARRIVAL = Instant.parse("2026-11-23T18:00:00Z");

    private Reports() {}

    /** A builder whose output depends on its input only: fixed clock, tokens T1, T2, ... */
    static DsnBuilder fixedBuilder() {
        AtomicInteger n = new AtomicInteger();
        return new DsnBuilder("mx.example.org", ZoneOffset.UTC, Clock.fixed(NOW, ZoneOffset.UTC),
                () -> "T" + n.incrementAndGet());
    }

    static ContentBuffer content(Path dir, byte[] octets) {
        ContentBuffer c = new ContentBuffer(dir, 1 << 20);
        c.append(octets);
        return c;
    }

    static ContentBuffer content(Path dir, String s) {
        return content(dir, s.getBytes(StandardCharsets.UTF_8));
    }

    static Message parse(byte[] report) throws IOException {
        DefaultMessageBuilder b = new DefaultMessageBuilder();
        b.setMimeEntityConfig(MimeConfig.STRICT);
        return b.parseMessage(new ByteArrayInputStream(report));
    }

    static List<Entity> parts(Message m) {
        return assertInstanceOf(Multipart.class, m.getBody()).getBodyParts();
    }

    static byte[] octets(Entity part) throws IOException {
        try (InputStream in = assertInstanceOf(SingleBody.class, part.getBody()).getInputStream()) {
            return in.readAllBytes();
        }
    }

    /**
     * The delivery-status body as groups of fields (RFC 3464 2.1): first the per-message group,
     * then one per recipient; folded lines unfolded (RFC 5322 2.2.3).
     */
    static List<Map<String, String>> groups(Entity statusPart) throws IOException {
        String body = new String(octets(statusPart), StandardCharsets.UTF_8);
        List<Map<String, String>> groups = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) continue;
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : block.replace("\n ", " ").replace("\n\t", "\t").split("\n")) {
                int colon = line.indexOf(':');
                assertEquals(false, colon <= 0, "not a field: " + line);
                String prev = fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                assertEquals(null, prev, "field twice: " + line);
            }
            groups.add(fields);
        }
        return groups;
    }
}
