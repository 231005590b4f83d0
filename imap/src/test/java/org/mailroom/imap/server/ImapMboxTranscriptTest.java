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
import org.mailroom.core.store.mbox.MboxStore;
import org.mailroom.core.test.Transcript;
import org.mailroom.core.test.Transcripts;

/**
 * The same transcripts as {@link ImapTranscriptTest}, with every account's INBOX an mbox file
 * (docs/mbox.md): the mbox store keeps the store's contracts, so IMAP behaves octet for octet the same.
 */
class ImapMboxTranscriptTest {
    @TempDir
    static Path tmp;

    private static ImapHarness current;

    @TestFactory
    Stream<DynamicTest> transcripts() {
        return Transcripts.from(Path.of("src/test/resources/transcripts"), l -> current.address(l), ImapMboxTranscriptTest::prepare);
    }

    private static void prepare(Transcript t) {
        try {
            if (current != null) current.close();
            current = new ImapHarness(Files.createTempDirectory(tmp, t.name()),
                    maildir -> new MboxStore(maildir, account -> true, MboxStore.defaultInbox(maildir)));
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
