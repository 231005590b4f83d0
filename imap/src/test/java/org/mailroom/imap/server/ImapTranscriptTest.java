package org.mailroom.imap.server;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * sockets ({@link ImapHarness}), each with a fresh data directory.
 */
class ImapTranscriptTest {
    @TempDir
    static Path tmp;

    private static ImapHarness current;

    @TestFactory
    Stream<DynamicTest> transcripts() {
        return Transcripts.from(Path.of("src/test/resources/transcripts"), l -> current.address(l), ImapTranscriptTest::prepare);
    }

    private static void prepare(Transcript t) {
        try {
            if (current != null) current.close();
            current = new ImapHarness(Files.createTempDirectory(tmp, t.name()));
            for (String[] u : t.users()) current.addUser(u[0], u[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (current != null) current.close();
    }
}
