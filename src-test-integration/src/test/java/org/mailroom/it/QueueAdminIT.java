package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.it.MailroomProcess.CliResult;

/**
 * Issue "Outbound" section 7: {@code mailroom queue} against the real daemon. Three messages wait
 * for a dead destination; one is held, one deleted; the destination comes up; release and flush
 * bring the held and the untouched one there, the deleted one never arrives.
 */
class QueueAdminIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;
    GreenMail remote;

    @AfterEach
    void stop() throws Exception {
        if (mailroom != null) mailroom.close();
        if (remote != null) remote.stop();
    }

    @Test
    void listHoldDeleteReleaseFlush() throws Exception {
        int mtaPort = MailroomProcess.freePort(); // nobody listens yet: connection refused
        // retries an hour apart: only flush and release make a deferred message go again
        mailroom = new MailroomProcess(dir, "transport.remote.example = [127.0.0.1]:" + mtaPort,
                "queue.retryInitial = 1h", "queue.retryMax = 1h");
        mailroom.start();
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO client.example\r\n");
            smtp.reply();
            for (String name : List.of("kept", "held", "deleted")) {
                smtp.send("MAIL FROM:<sender@example.test>\r\nRCPT TO:<" + name + "@remote.example>\r\nDATA\r\n");
                smtp.reply();
                smtp.reply();
                assertTrue(smtp.reply().startsWith("354"));
                smtp.send("Subject: " + name + "\r\nMessage-ID: <" + name + "@example.test>\r\n\r\nsecret-body-text\r\n.\r\n");
                String r = smtp.reply();
                assertTrue(r.startsWith("250 2.0.0"), r);
            }
        }

        Await.until(Duration.ofSeconds(30), () -> messageLines(list().out()).stream()
                .filter(l -> l.contains(" deferred ")).count() == 3, "three deferred messages in queue list");
        CliResult listed = list();
        System.out.println("QueueAdminIT: mailroom queue list\n" + listed.out());
        assertEquals(0, listed.exit(), listed.toString());
        for (String name : List.of("kept", "held", "deleted")) {
            int at = listed.out().indexOf("  " + name + "@remote.example (");
            assertTrue(at > 0, name + " with its last error: " + listed.out());
            String error = listed.out().substring(at, listed.out().indexOf('\n', at));
            assertTrue(error.contains("127.0.0.1") && error.toLowerCase().contains("refused"), error);
        }
        for (String l : messageLines(listed.out())) {
            assertTrue(l.matches("[A-Za-z0-9]+ deferred \\d+[smhd] \\d+ <sender@example.test>"), l);
        }

        Map<String, String> ids = idsBySubject(listed.out());
        assertEquals(Set.of("kept", "held", "deleted"), ids.keySet(), listed.out());

        assertOk(mailroom.run("", "queue", "hold", ids.get("held")));
        assertOk(mailroom.run("", "queue", "delete", ids.get("deleted")));
        CliResult after = list();
        assertTrue(after.out().contains(ids.get("held") + " hold "), after.out());
        assertTrue(after.out().contains(ids.get("kept") + " deferred "), after.out());
        assertFalse(after.out().contains(ids.get("deleted")), after.out());
        assertTrue(mailroom.log().contains(ids.get("deleted") + ": removed by the administrator"), mailroom.log());

        CliResult gone = mailroom.run("", "queue", "delete", ids.get("deleted"));
        assertEquals(1, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("not in the queue"), gone.err());
        assertEquals(64, mailroom.run("", "queue", "show", "../../etc/passwd").exit());
        assertEquals(64, mailroom.run("", "queue", "purge").exit());

        remote = new GreenMail(new ServerSetup(mtaPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        remote.start();
        assertOk(mailroom.run("", "queue", "flush"));
        Await.until(Duration.ofSeconds(30), () -> remote.getReceivedMessages().length == 1, "the untouched message");
        Thread.sleep(1000);
        assertEquals(1, remote.getReceivedMessages().length, "the held message waits: " + list().out());
        assertTrue(list().out().contains(ids.get("held") + " hold "));

        assertOk(mailroom.run("", "queue", "release", ids.get("held")));
        assertOk(mailroom.run("", "queue", "flush"));
        Await.until(Duration.ofSeconds(30), () -> remote.getReceivedMessages().length >= 2, "the released message");
        Await.until(Duration.ofSeconds(30), () -> list().out().isEmpty(), "an empty queue list");
        CliResult empty = list();
        assertEquals(0, empty.exit());
        assertTrue(empty.err().contains("the queue is empty"), empty.err());

        Thread.sleep(1000); // the deleted one would have had every chance by now
        Set<String> subjects = new TreeSet<>();
        for (MimeMessage m : remote.getReceivedMessages()) subjects.add(m.getSubject());
        assertEquals(Set.of("held", "kept"), subjects);
        assertEquals(2, remote.getReceivedMessages().length, "no duplicates");

        mailroom.terminate(); // 143: the JVM exits by SIGTERM once the shutdown hook has run
        Path socket = mailroom.dataDir.resolve("run/control.sock");
        assertFalse(Files.exists(socket), "removed at shutdown");
        CliResult down = mailroom.run("", "queue", "flush");
        assertEquals(69, down.exit(), down.toString());
        CliResult offline = list();
        assertEquals(0, offline.exit(), offline.toString());
        assertTrue(offline.err().contains("not running") && offline.err().contains("directly"), offline.err());
    }

    private CliResult list() {
        return mailroom.run("", "queue", "list");
    }

    private static void assertOk(CliResult r) {
        assertEquals(0, r.exit(), r.toString());
    }

    private static List<String> messageLines(String listing) {
        List<String> out = new ArrayList<>();
        for (String l : listing.split("\n")) if (!l.isEmpty() && !l.startsWith(" ")) out.add(l);
        return out;
    }

    /** Runs {@code queue show} for each listed id and maps the Subject to it. */
    private Map<String, String> idsBySubject(String listing) throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String l : messageLines(listing)) {
            String id = l.substring(0, l.indexOf(' '));
            CliResult shown = mailroom.run("", "queue", "show", id);
            assertOk(shown);
            assertTrue(shown.out().contains("id: " + id + "\n") && shown.out().contains("state: deferred\n"), shown.out());
            assertFalse(shown.out().contains("secret-body-text"), "header only: " + shown.out());
            for (String h : shown.out().split("\n")) if (h.startsWith("Subject: ")) m.put(h.substring(9), id);
        }
        return m;
    }
}
