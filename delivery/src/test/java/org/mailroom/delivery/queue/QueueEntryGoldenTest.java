package org.mailroom.delivery.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mailroom.delivery.queue.QueueEntry.Recipient;

/**
 * Golden files after Postfix's {@code .in/.ref}: every {@code src/test/resources/queue/*.env} is
 * parsed and the result, rendered field by field (or the {@link CorruptQueueFile} message), must
 * equal the {@code .ref} beside it. Valid records must also be written back byte for byte, so
 * {@code example.env} is at the same time the documentation of what a record looks like.
 * Regenerating the expectations is a deliberate act: {@code -Dqueue.golden.update=true}.
 */
class QueueEntryGoldenTest {
    static final Path DIR = Paths.get("src/test/resources/queue");

    @TestFactory
    Stream<DynamicTest> goldenRecords() throws IOException {
        List<Path> inputs = new ArrayList<>();
        try (Stream<Path> s = Files.list(DIR)) {
            s.filter(p -> p.toString().endsWith(".env")).sorted().forEach(inputs::add);
        }
        assertTrue(inputs.size() >= 8, "golden inputs missing: " + inputs);
        return inputs.stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () -> check(in)));
    }

    private static void check(Path in) throws IOException {
        byte[] data = Files.readAllBytes(in);
        String actual;
        try {
            QueueEntry e = QueueEntryFormat.parse(data, in.getFileName().toString());
            actual = render(e);
            assertEquals(new String(data, StandardCharsets.UTF_8), QueueEntryFormat.write(e),
                    "a valid record is written back as it was read");
        } catch (CorruptQueueFile c) {
            actual = "CorruptQueueFile: " + c.getMessage() + "\n";
        }
        Path ref = in.resolveSibling(in.getFileName().toString().replaceFirst("\\.env$", ".ref"));
        if (Boolean.getBoolean("queue.golden.update")) Files.writeString(ref, actual);
        assertEquals(Files.readString(ref), actual, in.toString());
    }

    /** One field per line, strings in Java escapes so invisible characters show. */
    static String render(QueueEntry e) {
        StringBuilder sb = new StringBuilder();
        sb.append("id=").append(q(e.id())).append('\n')
          .append("reversePath=").append(q(e.reversePath())).append(e.nullSender() ? " (null sender)" : "").append('\n')
          .append("arrival=").append(e.arrival()).append('\n')
          .append("envid=").append(q(e.envid())).append('\n')
          .append("ret=").append(e.ret()).append('\n')
          .append("body=").append(e.body()).append('\n')
          .append("smtputf8=").append(e.smtputf8()).append('\n')
          .append("origin.listener=").append(q(e.origin().listener())).append('\n')
          .append("origin.client=").append(q(e.origin().client())).append('\n')
          .append("origin.helo=").append(q(e.origin().helo())).append('\n')
          .append("origin.protocol=").append(q(e.origin().protocol())).append('\n')
          .append("origin.authUser=").append(q(e.origin().authUser())).append('\n')
          .append("attempts=").append(e.attempts()).append('\n')
          .append("nextAttempt=").append(e.nextAttempt()).append('\n');
        int i = 0;
        for (Recipient r : e.recipients()) {
            String p = "rcpt[" + i++ + "].";
            sb.append(p).append("address=").append(q(r.address())).append('\n')
              .append(p).append("orcpt=").append(q(r.orcpt())).append('\n')
              .append(p).append("notify=").append(r.notifyOn().stream().sorted().toList()).append('\n')
              .append(p).append("state=").append(r.state()).append('\n')
              .append(p).append("lastAttempt=").append(r.lastAttempt()).append('\n')
              .append(p).append("lastResult=").append(q(r.lastResult())).append('\n')
              .append(p).append("delayWarned=").append(r.delayWarned()).append('\n');
        }
        return sb.toString();
    }

    private static String q(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
