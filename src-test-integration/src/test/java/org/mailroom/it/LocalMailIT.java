package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 "Done when", the parts for local senders and system mailboxes: as Unix user alice,
 * {@code echo hi | mailx -s test bob} through Mailroom's sendmail; the message lands in bob's
 * spool mbox, owned by bob, group mail, mode 0660, readable by s-nail and Python's mailbox.mbox
 * as bob, with alice as the sender; mail to root reaches its alias target. The accounts are made
 * with useradd and removed after (root needed, as .ci/run runs the tests). The spool directory is
 * a temporary one set up like Debian's /var/mail (root:mail, 2775).
 */
class LocalMailIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;
    UnixUsers users = new UnixUsers();

    @AfterEach
    void stop() throws Exception {
        if (mailroom != null) mailroom.close();
        users.close();
    }

    @Test
    void mailxToABareUserNameLandsInHisSpoolMboxAndRootReachesItsAlias() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String alice = users.add("mru8alice"), bob = users.add("mru8bob");
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool);
        assertEquals(0, UnixUsers.run("chgrp", "mail", spool.toString()).exit());
        assertEquals(0, UnixUsers.run("chmod", "2775", spool.toString()).exit());
        UnixUsers.openParents(spool);

        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.spoolDir = " + spool);
        mailroom.addUser("admin@example.test", "admin-secret");
        Files.writeString(mailroom.configDir.resolve("aliases"), "root: admin@example.test\n");
        mailroom.start();
        Files.setPosixFilePermissions(mailroom.configDir.resolve("mailroom.properties"), PosixFilePermissions.fromString("rw-r--r--"));
        UnixUsers.openParents(mailroom.configDir);
        UnixUsers.openParents(mailroom.dataDir);
        String cp = UnixUsers.publicClassPath(dir.resolve("cp"));
        Path wrapper = dir.resolve("sendmail");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + cp
                + "' org.mailroom.daemon.Sendmail --config '" + mailroom.configDir + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));

        // the issue's command line; s-nail is Debian's mailx (MAILRC off: no site defaults)
        UnixUsers.Result r = UnixUsers.runAs(alice, "hi\n", List.of("env", "MAILRC=/dev/null", "HOME=/home/" + alice,
                "s-nail", "-n", "-S", "mta=" + wrapper, "-s", "test", bob));
        assertEquals(0, r.exit(), r.out());

        Path box = spool.resolve(bob);
        assertTrue(Files.exists(box), "no " + box + "\n" + mailroom.log());
        PosixFileAttributes attrs = Files.readAttributes(box, PosixFileAttributes.class);
        assertEquals(bob, attrs.owner().getName());
        assertEquals("mail", attrs.group().getName());
        assertEquals("rw-rw----", PosixFilePermissions.toString(attrs.permissions()));
        String mbox = Files.readString(box);
        assertTrue(mbox.startsWith("From " + alice + "@mx.example.test "), mbox);
        assertTrue(mbox.contains("\nFrom: " + alice + "@mx.example.test\n"), mbox);
        assertTrue(mbox.contains("Received: by mx.example.test (Mailroom, from userid "), mbox);

        // read as bob, the way his programs do
        UnixUsers.Result py = UnixUsers.runAs(bob, "", List.of("python3", "-c",
                "import mailbox,sys; m=list(mailbox.mbox(sys.argv[1])); print(len(m), m[0]['subject'], m[0]['from'],"
                        + " m[0].get_payload().strip())", box.toString()));
        assertEquals("1 test " + alice + "@mx.example.test hi\n", py.out());
        UnixUsers.Result nail = UnixUsers.runAs(bob, "", List.of("env", "MAILRC=/dev/null", "s-nail", "-n", "-H", "-f", box.toString()));
        assertEquals(0, nail.exit(), nail.out());
        assertTrue(nail.out().contains("test"), nail.out());
        assertTrue(nail.out().contains(alice), nail.out());

        // cron's way: mail to root, which is below local.minUid: only the alias reaches a person
        r = UnixUsers.runAs(alice, "Subject: to root\n\nroot mail\n", List.of(wrapper.toString(), "root"));
        assertEquals(0, r.exit(), r.out());
        try (Stream<Path> s = Files.list(mailroom.dataDir.resolve("mail/example.test/admin/new"))) {
            List<Path> m = s.toList();
            assertEquals(1, m.size());
            assertTrue(Files.readString(m.get(0)).contains("Subject: to root"));
        }
        assertTrue(Files.notExists(spool.resolve("root")));
    }

    /**
     * The privilege docs/local-mail.md names, and no more: the daemon runs as an ordinary user
     * (not root) with group mail as a supplementary group. Without CAP_CHOWN it cannot make a
     * new spool file the user's, so it makes none (the file it created is removed again); with
     * CAP_CHOWN as its only capability (setpriv, as systemd's AmbientCapabilities does) the
     * file is made owned by bob, group mail, 0660.
     */
    @Test
    void anUnprivilegedDaemonNeedsGroupMailAndCapChownOnly() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String mta = users.add("mru8mta"), bob = users.add("mru8bob");
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool);
        assertEquals(0, UnixUsers.run("chgrp", "mail", spool.toString()).exit());
        assertEquals(0, UnixUsers.run("chmod", "2775", spool.toString()).exit());
        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.spoolDir = " + spool);
        Files.createDirectories(mailroom.dataDir);
        String cp = UnixUsers.publicClassPath(dir.resolve("cp"));
        UnixUsers.openParents(spool);
        assertEquals(0, UnixUsers.run("chown", "-R", mta + ":", mailroom.configDir.toString(), mailroom.dataDir.toString()).exit());
        List<String> base = List.of("setpriv", "--reuid=" + mta, "--regid=" + mta, "--groups=mail");

        mailroom.launchWith(concat(base, "--inh-caps=-all", "--bounding-set=-all"), cp).start();
        assertEquals(75, sendmail(bob), "a temporary failure without CAP_CHOWN");
        assertTrue(Files.notExists(spool.resolve(bob)), "no spool file left owned by the daemon");
        assertTrue(mailroom.log().contains("Operation not permitted"), mailroom.log());
        mailroom.terminate();

        mailroom.launchWith(concat(base, "--inh-caps=+chown", "--ambient-caps=+chown", "--bounding-set=-all,+chown"), cp).start();
        assertEquals(0, sendmail(bob));
        PosixFileAttributes attrs = Files.readAttributes(spool.resolve(bob), PosixFileAttributes.class);
        assertEquals(bob, attrs.owner().getName());
        assertEquals("mail", attrs.group().getName());
        assertEquals("rw-rw----", PosixFilePermissions.toString(attrs.permissions()));
        assertTrue(Files.readString(spool.resolve(bob)).contains("Subject: privilege"));
        // and the next message is appended through the group bit alone
        assertEquals(0, sendmail(bob));
        assertEquals(2, Files.readString(spool.resolve(bob)).split("\nSubject: privilege\n", -1).length - 1);
    }

    int sendmail(String rcpt) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.mailroom.daemon.Sendmail", "--config", mailroom.configDir.toString(),
                rcpt).redirectErrorStream(true).start();
        try (var o = p.getOutputStream()) {
            o.write("Subject: privilege\n\nhello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        return p.exitValue();
    }

    static List<String> concat(List<String> a, String... b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }

    /** Owned by the user, mode 0644, as a user writes it. */
    static void dotForward(String user, String text) throws Exception {
        Path f = Path.of("/home", user, ".forward");
        Files.writeString(f, text);
        assertEquals(0, UnixUsers.run("chown", user + ":", f.toString()).exit());
    }

    /**
     * Issue 8 ".forward": bob's sends a copy on and keeps one with {@code \bob}; carol's pipe is
     * refused, logged, and bounced to the sender with the reason, while her other target still
     * gets the message.
     */
    @Test
    void dotForwardCopiesKeepsWithBackslashAndRefusesAPipeWithABounce() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String alice = users.add("mru8alice"), bob = users.add("mru8bob"), carol = users.add("mru8carol");
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool);
        assertEquals(0, UnixUsers.run("chgrp", "mail", spool.toString()).exit());
        assertEquals(0, UnixUsers.run("chmod", "2775", spool.toString()).exit());
        dotForward(bob, "\\" + bob + ", admin@example.test\n");
        dotForward(carol, "\"|/usr/bin/procmail -f-\"\nadmin@example.test\n");
        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.spoolDir = " + spool);
        mailroom.addUser("admin@example.test", "admin-secret");
        mailroom.start();

        // root sends (trusted -f): the sender is alice, who gets the bounce in her spool
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.mailroom.daemon.Sendmail", "--config", mailroom.configDir.toString(),
                "-f", alice, bob, carol).redirectErrorStream(true).start();
        try (var o = p.getOutputStream()) {
            o.write("Subject: forwarded\n\nhello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        // with a target that needs the queue (the refused pipe) the whole message goes through it
        Await.until(java.time.Duration.ofSeconds(30), () -> read(spool.resolve(bob)).contains("Subject: forwarded"),
                "bob's copy (\\bob)");
        Await.until(java.time.Duration.ofSeconds(30), () -> count(mailroom.dataDir.resolve("mail/example.test/admin/new")) == 1,
                "one copy at admin@example.test (bob's and carol's .forward, duplicates removed)");
        assertTrue(Files.notExists(spool.resolve(carol)), "carol keeps no copy: no \\carol");
        Path aliceBox = spool.resolve(alice);
        Await.until(java.time.Duration.ofSeconds(60), () -> read(aliceBox).contains("procmail"),
                "the bounce for carol's pipe in alice's spool");
        String bounce = Files.readString(aliceBox);
        assertTrue(bounce.contains("delivery to a command from ~" + carol + "/.forward is not allowed"), bounce);
        assertTrue(mailroom.log().contains("~" + carol + "/.forward is not allowed"), mailroom.log());
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
