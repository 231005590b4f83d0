package org.mailroom.smtp.server;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.test.Transcripts;

/** Runs every transcript in {@code src/test/resources/transcripts} against a real listener. */
class SmtpTranscriptTest {
    @TempDir
    static Path spool;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(TestServer.smallLimits(spool));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @TestFactory
    Stream<DynamicTest> transcripts() {
        return Transcripts.from(Path.of("src/test/resources/transcripts"),
                listener -> {
                    if (!listener.equals("smtp")) throw new IllegalArgumentException("no listener " + listener);
                    return server.address();
                },
                t -> {
                    Set<String> users = new HashSet<>();
                    for (String[] u : t.users()) users.add(u[0]);
                    server.sink.users(users);
                });
    }
}
