package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, the two options beyond the spool: {@code local.systemMailbox=maildir} (mail in
 * {@code ~/Maildir/new}, the user's, never through a link or a directory someone else owns) and
 * {@code local.forwardPrograms=true} ({@code |command} and {@code /file} targets of
 * {@code ~/.forward} run as the user through setpriv). Unix users are made with useradd (root
 * needed, as .ci/run runs the tests); the last two tests run the daemon as an ordinary user with
 * exactly the capabilities docs/local-mail.md names.
 */
class LocalMailProgramsIT {
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
    void maildirDeliveryLandsInTheUsersMaildirAndRefusesALinkOrAForeignMaildir() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String bob = users.add("mru8bob"), carol = users.add("mru8carol"), dave = users.add("mru8dave");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(Path.of("/home", carol, "Maildir"), elsewhere);
        chown(carol, Path.of("/home", carol, "Maildir"));
        Files.createDirectories(Path.of("/home", dave, "Maildir")); // root's, not dave's
        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.systemMailbox = maildir");
        mailroom.start();

        assertEquals(0, sendmail(mailroom, "Subject: to maildir\n\nhello\n", bob));
        Path md = Path.of("/home", bob, "Maildir");
        List<Path> files = list(md.resolve("new"));
        assertEquals(1, files.size(), mailroom.log());
        PosixFileAttributes a = Files.readAttributes(files.get(0), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertEquals(bob, a.owner().getName());
        assertEquals(bob, a.group().getName(), "the user's primary group");
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));
        for (String d : new String[] {"", "tmp", "new", "cur"}) {
            PosixFileAttributes da = Files.readAttributes(md.resolve(d), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals(bob, da.owner().getName(), d);
            assertEquals("rwx------", PosixFilePermissions.toString(da.permissions()), d);
        }
        String text = Files.readString(files.get(0));
        assertTrue(text.startsWith("Return-Path: <root@"), text);
        assertTrue(text.contains("\nReceived: by "), text);
        // read as bob, the way his programs do
        UnixUsers.Result py = UnixUsers.runAs(bob, "", List.of("python3", "-c",
                "import mailbox,sys; m=list(mailbox.Maildir(sys.argv[1], create=False)); print(len(m), m[0]['subject'],"
                        + " m[0].get_payload().strip())", md.toString()));
        assertEquals("1 to maildir hello\n", py.out());

        // a link and a Maildir someone else owns: temporary failures (sendmail exits 75), nothing written
        assertEquals(75, sendmail(mailroom, "Subject: via a link\n\nhello\n", carol));
        assertEquals(0, list(elsewhere).size());
        assertTrue(mailroom.log().contains("Maildir delivery to " + carol + " refused: /home/" + carol
                + "/Maildir is not a directory (a symbolic link?)"), mailroom.log());
        assertEquals(75, sendmail(mailroom, "Subject: foreign\n\nhello\n", dave));
        assertTrue(mailroom.log().contains("/home/" + dave + "/Maildir is owned by root, not " + dave), mailroom.log());
        assertTrue(Files.notExists(Path.of("/home", dave, "Maildir", "new")));
    }

    @Test
    void dotForwardCommandsAndFilesRunAsTheUserWithTheirOutcomes() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String alice = users.add("mru8alice"), bob = users.add("mru8bob"), carol = users.add("mru8carol"),
                dave = users.add("mru8dave"), erin = users.add("mru8erin");
        Path spool = spool();
        LocalMailIT.dotForward(bob, "\"|(/usr/bin/id -un; pwd; echo $SENDER $RECIPIENT; cat) > $HOME/piped\"\n");
        LocalMailIT.dotForward(carol, "\"|cat >/dev/null; echo try later >&2; exit 75\"\n");
        LocalMailIT.dotForward(dave, "\"|cat >/dev/null; echo 'no such folder: inbox' >&2; exit 1\"\n");
        LocalMailIT.dotForward(erin, "/home/" + erin + "/mail.log\n");
        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.spoolDir = " + spool,
                "local.forwardPrograms = true");
        mailroom.start();

        assertEquals(0, sendmail(mailroom, "Subject: programs\n\nFrom the start\n", "-f", alice, bob, carol, dave, erin));

        Path piped = Path.of("/home", bob, "piped");
        Await.until(Duration.ofSeconds(30), () -> LocalMailIT.read(piped).contains("Subject: programs"), "bob's command ran");
        String out = Files.readString(piped);
        assertTrue(out.startsWith(bob + "\n/home/" + bob + "\n" + alice + "@mx.example.test " + bob + "@mx.example.test\n"
                + "Return-Path: <" + alice + "@mx.example.test>\nDelivered-To: " + bob + "@mx.example.test\n"), out);
        assertEquals(bob, Files.getOwner(piped).getName(), "written by bob's process");

        Path log = Path.of("/home", erin, "mail.log");
        Await.until(Duration.ofSeconds(30), () -> LocalMailIT.read(log).contains("Subject: programs"), "erin's file");
        PosixFileAttributes a = Files.readAttributes(log, PosixFileAttributes.class);
        assertEquals(erin, a.owner().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));
        String mbox = Files.readString(log);
        assertTrue(mbox.startsWith("From " + alice + "@mx.example.test "), mbox);
        assertTrue(mbox.contains("\n>From the start\n"), "mboxrd quoting: " + mbox);

        // dave's exit 1 bounces to alice with the command's first line of stderr; carol's 75 waits in the queue
        Path aliceBox = spool.resolve(alice);
        Await.until(Duration.ofSeconds(60), () -> LocalMailIT.read(aliceBox).contains("no such folder"), "the bounce for dave");
        String bounce = Files.readString(aliceBox);
        assertTrue(bounce.contains("no such folder: inbox"), bounce);
        assertTrue(bounce.contains("Final-Recipient: rfc822; " + dave + "@mx.example.test"), "the address, not the command: " + bounce);
        assertTrue(!bounce.contains("try later"), "carol's is deferred, not bounced: " + bounce);
        Await.until(Duration.ofSeconds(30), () -> mailroom.log().contains("try later"), "carol's deferral logged");
        String daemonLog = mailroom.log();
        assertTrue(daemonLog.matches("(?s).*to=<~" + carol + ":\\|cat >/dev/null; echo try later >&2; exit 75>, relay=local, "
                + "delay=[0-9.]+, dsn=4\\.3\\.0, status=deferred \\(try later\\).*"), daemonLog);
        assertTrue(daemonLog.matches("(?s).*to=<~" + dave + ":\\|.*?>, relay=local, delay=[0-9.]+, dsn=5\\.3\\.0, "
                + "status=bounced \\(no such folder: inbox\\).*"), daemonLog);
        assertTrue(daemonLog.contains("status=sent (delivered to command: "), daemonLog);
        assertTrue(daemonLog.contains("status=sent (delivered to file: /home/" + erin + "/mail.log)"), daemonLog);
    }

    /**
     * local.forwardPrograms needs CAP_SETUID and CAP_SETGID and no more: without them the command
     * is deferred with setpriv's reason in the log; with them (as systemd's AmbientCapabilities
     * gives them) it runs as bob, with no capability left in the command.
     */
    @Test
    void anUnprivilegedDaemonRunsCommandsWithCapSetuidAndCapSetgidOnly() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String mta = users.add("mru8mta"), bob = users.add("mru8bob");
        LocalMailIT.dotForward(bob, "\"|(/usr/bin/id -un; grep ^Cap /proc/self/status) > $HOME/piped\"\n");
        open(Path.of("/home", bob)); // the daemon reads ~/.forward: homes searchable (o+x), as documented
        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.forwardPrograms = true",
                "queue.retryInitial = 1s", "queue.retryMax = 1s");
        List<String> base = unprivileged(mta);

        mailroom.launchWith(LocalMailIT.concat(base, "--inh-caps=-all", "--bounding-set=-all"), cp()).start();
        assertEquals(0, sendmail(mailroom, "Subject: caps\n\nhello\n", bob));
        Await.until(Duration.ofSeconds(30), () -> mailroom.log().contains("status=deferred (cannot run as the user: setpriv: "),
                "setpriv's refusal, deferred");
        assertTrue(mailroom.log().matches("(?s).*cannot deliver to \\|.* as " + bob + " \\(uid \\d+\\): setpriv: .*Operation not permitted.*"),
                mailroom.log());
        assertTrue(Files.notExists(Path.of("/home", bob, "piped")));
        mailroom.terminate();

        // the same queue, now with the two capabilities: the deferred message is delivered on its retry
        mailroom.launchWith(LocalMailIT.concat(base, "--inh-caps=+setuid,+setgid", "--ambient-caps=+setuid,+setgid",
                "--bounding-set=-all,+setuid,+setgid"), cp()).start();
        Path piped = Path.of("/home", bob, "piped");
        Await.until(Duration.ofSeconds(60), () -> LocalMailIT.read(piped).contains("CapAmb"), "bob's command ran");
        String out = Files.readString(piped);
        assertTrue(out.startsWith(bob + "\n"), out);
        for (String set : new String[] {"CapInh", "CapPrm", "CapEff", "CapAmb"}) {
            assertTrue(out.contains(set + ":\t0000000000000000\n"), "no capability in the user's command: " + out);
        }
    }

    /** local.systemMailbox=maildir needs CAP_DAC_OVERRIDE and CAP_CHOWN: 0700 homes, files given away. */
    @Test
    void anUnprivilegedDaemonDeliversToMaildirWithCapDacOverrideAndCapChownOnly() throws Exception {
        assumeTrue(UnixUsers.root(), "needs root to create Unix users (.ci/run runs the tests as root)");
        String mta = users.add("mru8mta"), bob = users.add("mru8bob");
        Files.setPosixFilePermissions(Path.of("/home", bob), PosixFilePermissions.fromString("rwx------"));
        mailroom = new MailroomProcess(dir, "local.systemUsers = true", "local.systemMailbox = maildir");
        List<String> base = unprivileged(mta);

        mailroom.launchWith(LocalMailIT.concat(base, "--inh-caps=+chown", "--ambient-caps=+chown", "--bounding-set=-all,+chown"),
                cp()).start();
        assertEquals(75, sendmail(mailroom, "Subject: no dac\n\nhello\n", bob), "a 0700 home is closed to CAP_CHOWN alone");
        assertTrue(mailroom.log().contains("Permission denied"), mailroom.log());
        assertTrue(Files.notExists(Path.of("/home", bob, "Maildir")));
        mailroom.terminate();

        mailroom.launchWith(LocalMailIT.concat(base, "--inh-caps=+dac_override,+chown", "--ambient-caps=+dac_override,+chown",
                "--bounding-set=-all,+dac_override,+chown"), cp()).start();
        assertEquals(0, sendmail(mailroom, "Subject: maildir caps\n\nhello\n", bob), mailroom.log());
        List<Path> files = list(Path.of("/home", bob, "Maildir", "new"));
        assertEquals(1, files.size());
        assertEquals(bob, Files.getOwner(files.get(0)).getName());
        assertTrue(Files.readString(files.get(0)).contains("Subject: maildir caps"));
    }

    /** setpriv as {@code mta}, with its own group only; the config and data directories made its own. */
    List<String> unprivileged(String mta) throws Exception {
        Files.createDirectories(mailroom.dataDir);
        assertEquals(0, UnixUsers.run("chown", "-R", mta + ":", mailroom.configDir.toString(), mailroom.dataDir.toString()).exit());
        UnixUsers.openParents(mailroom.configDir);
        return List.of("setpriv", "--reuid=" + mta, "--regid=" + mta, "--clear-groups");
    }

    private String classPath;

    String cp() throws Exception {
        if (classPath == null) classPath = UnixUsers.publicClassPath(dir.resolve("cp"));
        return classPath;
    }

    Path spool() throws Exception {
        Path spool = dir.resolve("spool");
        Files.createDirectories(spool);
        assertEquals(0, UnixUsers.run("chgrp", "mail", spool.toString()).exit());
        assertEquals(0, UnixUsers.run("chmod", "2775", spool.toString()).exit());
        return spool;
    }

    static void open(Path home) throws Exception {
        assertEquals(0, UnixUsers.run("chmod", "o+x", home.toString()).exit());
    }

    static void chown(String user, Path p) throws Exception {
        assertEquals(0, UnixUsers.run("chown", "-h", user + ":", p.toString()).exit());
    }

    /** Mailroom's sendmail as root; its exit status (75: a temporary failure). */
    static int sendmail(MailroomProcess mailroom, String message, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.mailroom.daemon.Sendmail", "--config", mailroom.configDir.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var o = p.getOutputStream()) {
            o.write(message.getBytes(StandardCharsets.UTF_8));
        }
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    static List<Path> list(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }
}
