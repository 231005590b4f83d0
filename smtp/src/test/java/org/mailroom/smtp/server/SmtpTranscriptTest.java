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

/**
 * Runs every transcript in {@code src/test/resources/transcripts} against real listeners
 * ({@link TestServer} lists them). {@code @user} lines become sink recipients and accounts.
 */
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
                server::address,
                t -> {
                    Set<String> users = new HashSet<>();
                    for (String[] u : t.users()) {
                        users.add(u[0]);
                        if (u.length > 1) server.account(u[0], u[1]);
                    }
                    server.sink.users(users);
                });
    }
}
