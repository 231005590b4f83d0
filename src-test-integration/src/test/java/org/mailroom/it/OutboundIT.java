package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.delivery.remote.TestDnsServer;

/**
 * The outbound path against the real daemon: a DNS server on loopback publishing MX records,
 * GreenMail as the remote MTA, relay permission, and a kill -9 with 1,000 messages in the queue.
 */
class OutboundIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;
    GreenMail remote;
    TestDnsServer dns;

    @AfterEach
    void stop() throws Exception {
        if (mailroom != null) mailroom.close();
        if (remote != null) remote.stop();
        if (dns != null) dns.close();
    }

    private GreenMail remoteMta(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    private static String send(Raw smtp, String from, String to, String body) throws IOException {
        smtp.send("MAIL FROM:<" + from + ">\r\nRCPT TO:<" + to + ">\r\nDATA\r\n");
        String mail = smtp.reply(), rcpt = smtp.reply(), data = smtp.reply();
        if (!data.startsWith("354")) return rcpt.startsWith("250") ? data : rcpt;
        smtp.send(body + ".\r\n");
        return smtp.reply();
    }

    @Test
    void relayedMailGoesToTheMxAndStrangersCannotRelay() throws Exception {
        remote = remoteMta(MailroomProcess.freePort());
        dns = TestDnsServer.start().mx("remote.example", 10, "mx1.remote.example").a("mx1.remote.example", "127.0.0.1");
        mailroom = new MailroomProcess(dir, "dns.servers = 127.0.0.1:" + dns.address().getPort(),
                "delivery.mxPort = " + remote.getSmtp().getPort(), "relay.networks = 127.0.0.0/8");
        mailroom.addUser("alice@example.test", "alice-secret");
        mailroom.start();
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO client.example\r\n");
            smtp.reply();
            String r = send(smtp, "alice@example.test", "bob@remote.example",
                    "Subject: out\r\nMessage-ID: <out-1@example.test>\r\n\r\nto the MX\r\n");
            assertTrue(r.startsWith("250 2.0.0"), r);
        }
        Await.until(Duration.ofSeconds(30), () -> remote.getReceivedMessages().length == 1, "delivery to the MX");
        MimeMessage got = remote.getReceivedMessages()[0];
        assertEquals("out", got.getSubject());
        // the log line follows the remote's 250, so it may come a moment after GreenMail has the message
        Await.until(Duration.ofSeconds(10), () -> mailroom.log().matches(
                "(?s).*to=<bob@remote.example>, relay=mx1.remote.example\\[127.0.0.1\\]:\\d+, .*status=sent.*"),
                "the delivery log line");
    }

    @Test
    void unauthenticatedRelayAndTheClassicTricksAreRefused() throws Exception {
        mailroom = new MailroomProcess(dir, "relay.networks =");
        mailroom.addUser("alice@example.test", "alice-secret");
        mailroom.start();
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO client.example\r\n");
            smtp.reply();
            for (String trick : new String[] {"victim@remote.example", "victim%remote.example@example.test",
                    "remote.example!victim@example.test", "\"victim@remote.example\"@example.test",
                    "@example.test:victim@remote.example"}) {
                smtp.send("MAIL FROM:<spammer@remote.example>\r\nRCPT TO:<" + trick + ">\r\nRSET\r\n");
                assertTrue(smtp.reply().startsWith("250"));
                String rcpt = smtp.reply();
                assertTrue(rcpt.startsWith("550 5.7.1") || rcpt.startsWith("550 5.1.1"), trick + " -> " + rcpt);
                smtp.reply();
            }
        }
        try (Stream<Path> s = Files.list(mailroom.dataDir.resolve("queue/incoming"))) {
            assertEquals(0, s.count(), "nothing queued");
        }
    }

    /** Issue "Outbound": 1,000 queued for a dead destination, kill -9, restart, destination up: all arrive once. */
    @Test
    void killMinus9WithAThousandQueuedMessagesLosesNothing() throws Exception {
        int mtaPort = MailroomProcess.freePort();
        mailroom = new MailroomProcess(dir, "transport.remote.example = [127.0.0.1]:" + mtaPort,
                "queue.retryInitial = 1s", "queue.retryMax = 2s", "queue.concurrency = 10", "queue.perDestination = 10",
                "smtp.maxMessagesPerSession = 2000"); // all 1,000 over one connection
        mailroom.start();
        int n = 1000;
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            smtp.reply();
            smtp.send("EHLO client.example\r\n");
            smtp.reply();
            for (int i = 0; i < n; i++) {
                String r = send(smtp, "sender@example.test", "rcpt@remote.example",
                        "Subject: crash " + i + "\r\nMessage-ID: <crash-" + i + "@example.test>\r\n\r\nbody " + i + "\r\n");
                assertTrue(r.startsWith("250 2.0.0"), i + ": " + r);
            }
        }
        mailroom.kill9();
        remote = remoteMta(mtaPort);
        mailroom.start();
        Await.until(Duration.ofSeconds(120), () -> remote.getReceivedMessages().length >= n,
                "all " + n + " messages at the destination (" + remote.getReceivedMessages().length + " so far)");
        Await.until(Duration.ofSeconds(30), () -> queueEmpty(mailroom.dataDir.resolve("queue")), "an empty queue");
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        for (MimeMessage m : remote.getReceivedMessages()) if (!ids.add(m.getMessageID())) duplicates++;
        assertEquals(n, ids.size(), "every message arrived");
        System.out.println("OutboundIT crash test: " + n + " queued, " + ids.size() + " delivered, " + duplicates + " duplicates");
        assertEquals(0, duplicates, "no duplicates after kill -9 while nothing was in flight");
    }

    private static boolean queueEmpty(Path queue) {
        for (String d : new String[] {"incoming", "active", "deferred"}) {
            try (Stream<Path> s = Files.list(queue.resolve(d))) {
                if (s.findAny().isPresent()) return false;
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
