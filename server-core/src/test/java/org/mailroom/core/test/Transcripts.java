package org.mailroom.core.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Turns every {@code *.txt} under a directory into one JUnit dynamic test. A module's
 * {@code @TestFactory} passes where its listeners are and a hook that prepares each transcript
 * (creating its {@code @user} accounts).
 */
public final class Transcripts {
    private Transcripts() {}

    public static Stream<DynamicTest> from(Path dir, Function<String, InetSocketAddress> addresses,
                                           Consumer<Transcript> before) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".txt")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), p.toUri(), () -> {
                        Transcript t = Transcript.parse(p);
                        before.accept(t);
                        t.run(addresses);
                    }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
