package org.mailroom.pop3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.mailroom.core.store.mbox.MboxStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.test.Transcript;
import org.mailroom.core.test.Transcripts;

/**
 * The same transcripts as {@link Pop3TranscriptTest}, with every account's INBOX an mbox file
 * (docs/mbox.md): POP3 answers octet for octet the same.
 */
class Pop3MboxTranscriptTest {
    @TempDir
    static Path tmp;

    private static Pop3Harness current;

    @TestFactory
    Stream<DynamicTest> transcripts() {
        return Transcripts.from(Path.of("src/test/resources/transcripts"), l -> current.address(l), Pop3MboxTranscriptTest::prepare);
    }

    private static void prepare(Transcript t) {
        try {
            if (current != null) current.close();
            current = new Pop3Harness(Files.createTempDirectory(tmp, t.name()), java.time.Duration.ofMinutes(10),
                    new org.mailroom.core.account.AuthThrottle(),
                    maildir -> new MboxStore(maildir, account -> true, MboxStore.defaultInbox(maildir)));
            for (String[] u : t.users()) current.addUser(u[0], u[1]);
            for (String line : Files.readAllLines(t.file(), StandardCharsets.UTF_8)) {
                if (!line.startsWith("#mail ")) continue;
                String[] p = line.substring(6).trim().split("\\s+");
                current.deliverResource(p[0], p[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (current != null) current.close();
    }
}
