package org.mailroom.pop3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.test.Transcript;
import org.mailroom.core.test.Transcripts;

/**
 * Runs every transcript in {@code src/test/resources/transcripts/} against a real server over real
 * sockets, each with a fresh data directory. Besides the runner's directives, a comment line
 * {@code #mail <account> <file>} delivers {@code src/test/resources/mail/<file>} to the account
 * before the run, in the order given.
 */
class Pop3TranscriptTest {
    @TempDir
    static Path tmp;

    private static Pop3Harness current;

    @TestFactory
    Stream<DynamicTest> transcripts() {
        return Transcripts.from(Path.of("src/test/resources/transcripts"), l -> current.address(l), Pop3TranscriptTest::prepare);
    }

    private static void prepare(Transcript t) {
        try {
            if (current != null) current.close();
            current = new Pop3Harness(Files.createTempDirectory(tmp, t.name()));
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
