package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sendmail} against the real daemon (issue "Submission" sections 7 and 8): the Sendmail
 * main in its own JVM as bin/sendmail runs it, and s-nail using it as its MTA.
 */
class SendmailIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;
    final String unixUser = System.getProperty("user.name");

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir);
        mailroom.addUser("alice@example.test", "alice-secret");
        mailroom.addUser("bob@example.test", "bob-secret");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    record Run(int exit, String output) {}

    /** {@code java -cp <test class path> org.mailroom.daemon.Sendmail --config conf args...}, as bin/sendmail does. */
    Run sendmail(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.mailroom.daemon.Sendmail",
                "--config", mailroom.configDir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sendmail did not finish");
        return new Run(p.exitValue(), out);
    }

    Path inbox(String user) {
        return mailroom.dataDir.resolve("mail").resolve("example.test").resolve(user).resolve("new");
    }

    /** The messages in a Maildir's new/ (the sink answered only after delivery: no waiting). */
    List<String> messages(String user) throws Exception {
        Path d = inbox(user);
        if (!Files.isDirectory(d)) return List.of();
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) out.add(Files.readString(p));
        }
        return out;
    }

    @Test
    void recipientsOnTheCommandLineLandInTheMaildirWithALocalReceivedLine() throws Exception {
        Run r = sendmail("Subject: from cron\n\nbody line\n.\nnot part of it\n", "-f", "alice@example.test", "alice@example.test");
        assertEquals(0, r.exit(), r.output());
        List<String> m = messages("alice");
        assertEquals(1, m.size(), m.toString());
        String msg = m.get(0);
        // the kernel's user and uid, no "from" clause: there is no client host (issue 8)
        assertTrue(msg.contains("Received: by mx.example.test (Mailroom, from userid " + uid() + " " + unixUser + ")\n\tid "), msg);
        assertTrue(msg.contains("Return-Path: <alice@example.test>"), msg);
        assertTrue(msg.contains("\nFrom: alice@example.test\n"), msg);
        assertTrue(msg.contains("\nDate: "), msg);
        assertTrue(msg.contains("\nMessage-ID: <"), msg);
        assertTrue(msg.endsWith("\nSubject: from cron\n\nbody line\n"), msg); // the lone dot ended it (no -i)
        assertTrue(mailroom.log().contains("sendmail user=" + unixUser + " uid=" + uid() + " from=<alice@example.test> nrcpt=1"),
                mailroom.log());
        assertFalse(msg.contains("X-Authentication-Warning"), msg); // the test runs as root or as the daemon's user: trusted
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(mailroom.dataDir.resolve("run"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                mailroom.dataDir.resolve("run").resolve("control.sock"))));
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                mailroom.dataDir.resolve("run").resolve("submit.sock"))));
    }

    long uid() throws Exception {
        return ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
    }

    /**
     * Issue 8 "Local senders", as another Unix user (created here, removed after): the envelope
     * sender is {@code user@myorigin}; {@code -f} by a user who is not trusted is taken, and the
     * message says so in sendmail's X-Authentication-Warning; {@code -f} by a member of a
     * {@code local.trustedUsers} group is not marked; unqualified recipients get {@code @myorigin},
     * and {@code root} reaches a person through the aliases.
     */
    @Test
    void anotherUnixUserSendsAsHimselfAndHisMinusFIsMarked() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        try (UnixUsers users = new UnixUsers()) {
            String alice = users.add("mru8alice"), carol = users.add("mru8carol");
            UnixUsers.run("groupadd", "-f", "mru8ops");
            UnixUsers.run("usermod", "-a", "-G", "mru8ops", carol);
            try {
                mailroom.terminate();
                Files.writeString(mailroom.configDir.resolve("mailroom.properties"),
                        "myorigin = example.test\nlocal.trustedUsers = %mru8ops\n", java.nio.file.StandardOpenOption.APPEND);
                Files.writeString(mailroom.configDir.resolve("aliases"), "root: bob\n" + alice + ": alice\n" + carol + ": alice\n");
                mailroom.start();
                // the users read the configuration (not users.properties) and reach data/run/submit.sock
                Files.setPosixFilePermissions(mailroom.configDir.resolve("mailroom.properties"),
                        PosixFilePermissions.fromString("rw-r--r--"));
                UnixUsers.openParents(mailroom.configDir);
                UnixUsers.openParents(mailroom.dataDir);
                String cp = UnixUsers.publicClassPath(dir.resolve("cp"));
                List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                        "org.mailroom.daemon.Sendmail", "--config", mailroom.configDir.toString());

                UnixUsers.Result r = UnixUsers.runAs(alice, "Subject: to root\n\nfrom cron\n", concat(cmd, "root"));
                assertEquals(0, r.exit(), r.out());
                List<String> m = messages("bob");
                assertEquals(1, m.size(), m.toString());
                long aliceUid = Long.parseLong(UnixUsers.run("id", "-u", alice).out().trim());
                assertTrue(m.get(0).contains("Return-Path: <" + alice + "@example.test>"), m.get(0));
                assertTrue(m.get(0).contains("Received: by mx.example.test (Mailroom, from userid " + aliceUid + " " + alice + ")"),
                        m.get(0));
                assertTrue(m.get(0).contains("\nFrom: " + alice + "@example.test\n"), m.get(0));

                r = UnixUsers.runAs(alice, "Subject: forged\n\nbody\n", concat(cmd, "-f", "ceo@example.test", "bob@example.test"));
                assertEquals(0, r.exit(), r.out());
                m = messages("bob");
                assertEquals(2, m.size(), m.toString());
                String forged = m.stream().filter(x -> x.contains("Subject: forged")).findFirst().orElseThrow();
                assertTrue(forged.contains("Return-Path: <ceo@example.test>"), forged);
                assertTrue(forged.contains("\nX-Authentication-Warning: mx.example.test: " + alice
                        + " set sender to ceo@example.test using -f\n"), forged);
                assertTrue(mailroom.log().contains("sendmail user=" + alice + " set sender to <ceo@example.test> using -f"),
                        mailroom.log());

                r = UnixUsers.runAs(carol, "Subject: trusted\n\nbody\n", concat(cmd, "-f", "ops@example.test", carol));
                assertEquals(0, r.exit(), r.out());
                List<String> a = messages("alice");
                assertEquals(1, a.size(), a.toString()); // mru8carol@example.test -> alias -> alice
                assertTrue(a.get(0).contains("Return-Path: <ops@example.test>"), a.get(0));
                assertFalse(a.get(0).contains("X-Authentication-Warning"), a.get(0));
            } finally {
                UnixUsers.run("groupdel", "mru8ops");
            }
        }
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    @Test
    void dashTTakesToAndBccAndRemovesBcc() throws Exception {
        Run r = sendmail("From: Carol <carol@example.test>\nTo: Alice <alice@example.test>\nBcc: bob@example.test\n"
                + "Subject: -t\n\nhello\n.\nwith -i the dot is a line\n", "-t", "-i");
        assertEquals(0, r.exit(), r.output());
        for (String user : List.of("alice", "bob")) {
            List<String> m = messages(user);
            assertEquals(1, m.size(), user + ": " + m);
            assertFalse(m.get(0).contains("Bcc:"), m.get(0));
            assertFalse(m.get(0).contains("bob@example.test"), m.get(0)); // not even in Received: for (two recipients)
            assertTrue(m.get(0).endsWith("\n\nhello\n.\nwith -i the dot is a line\n"), m.get(0));
            assertTrue(m.get(0).contains("Return-Path: <" + unixUser + "@mx.example.test>"), m.get(0)); // no -f: the kernel's user
        }
    }

    @Test
    void sNailUsesItAsItsMta() throws Exception {
        Path wrapper = dir.resolve("sendmail-wrapper");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' org.mailroom.daemon.Sendmail --config '" + mailroom.configDir + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        // s-nail 14.9 calls the variable "mta" ("sendmail" is its obsolete name); it runs "mta -i -- rcpt"
        ProcessBuilder pb = new ProcessBuilder("s-nail", "-n", "-S", "mta=" + wrapper, "-s", "hello from s-nail",
                "alice@example.test").redirectErrorStream(true);
        pb.environment().put("MAILRC", "/dev/null");
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            throw new AssertionError("s-nail is not installed (.ci/run installs it with apt): " + e.getMessage());
        }
        try (OutputStream o = p.getOutputStream()) {
            o.write("Hi Alice,\n.\nsent by mailx\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "s-nail did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String> m = messages("alice");
        assertEquals(1, m.size(), m + "\n" + out);
        assertTrue(m.get(0).contains("\nSubject: hello from s-nail\n"), m.get(0));
        assertTrue(m.get(0).contains("\nFrom: " + unixUser + "@mx.example.test\n"), m.get(0)); // s-nail sent none
        assertTrue(m.get(0).endsWith("\n\nHi Alice,\n.\nsent by mailx\n"), m.get(0));
    }

    @Test
    void daemonStoppedMeansExit69AndNothingSent() throws Exception {
        mailroom.terminate(); // 143: the JVM exits by SIGTERM once the shutdown hook has run
        Run r = sendmail("Subject: x\n\nbody\n", "alice@example.test");
        assertEquals(69, r.exit(), r.output());
        assertEquals("mailroom: the mail daemon is not running (no " + mailroom.dataDir.resolve("run").resolve("submit.sock")
                + "); the message was not sent\n", r.output());
        assertTrue(messages("alice").isEmpty());
    }

    @Test
    void unknownLocalUserIsADataErrorAndUnknownFlagsAUsageError() throws Exception {
        Run r = sendmail("x\n", "nobody@example.test");
        assertEquals(65, r.exit(), r.output());
        assertTrue(r.output().contains("550 5.1.1"), r.output());
        assertEquals(64, sendmail("x\n", "-q", "alice@example.test").exit());
    }

    @Test
    void smtpOnStandardInputAndOutput() throws Exception {
        Run r = sendmail("EHLO me\r\nMAIL FROM:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n"
                + "Subject: -bs\r\n\r\n..dot-stuffed\r\n.\r\nQUIT\r\n", "-bs");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().startsWith("220 "), r.output());
        assertTrue(r.output().contains("\r\n250 2.0.0 Ok: queued as "), r.output());
        assertTrue(r.output().endsWith("221 2.0.0 Bye\r\n"), r.output());
        List<String> m = messages("bob");
        assertEquals(1, m.size());
        assertTrue(m.get(0).endsWith("\nSubject: -bs\n\n.dot-stuffed\n"), m.get(0));
    }
}
