package org.mailroom.delivery.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.unix.Passwd;
import org.mailroom.delivery.local.ForwardTargets.Result;
import org.mailroom.delivery.local.ForwardTargets.Status;

/**
 * ~/.forward commands and files: what the command gets (stdin, environment, directory) and how
 * its exit status becomes an outcome. The identity change is replaced by a stand-in that skips
 * setpriv's options, so these run as any user; LocalMailIT runs the real setpriv as root.
 */
class ForwardTargetsTest {
    /** setpriv's stand-in: drops everything up to "--", then runs the rest as it is. */
    static final List<String> NO_SETPRIV = List.of("/bin/sh", "-c", "while [ \"$1\" != -- ]; do shift; done; shift; exec \"$@\"", "setpriv");

    @TempDir
    Path dir;
    Path home;
    ForwardTargets targets;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        Path passwd = Files.writeString(dir.resolve("passwd"), "bob:x:4242:4343::" + home + ":/bin/bash\n");
        targets = new ForwardTargets(new Passwd(passwd, dir.resolve("group")), Duration.ofSeconds(30), ZoneOffset.UTC, NO_SETPRIV);
    }

    Result run(String target, String message) {
        return targets.deliver("bob@mx.example.org", target, "alice@example.org", content(message));
    }

    @Test
    void theCommandGetsTheMessageOnStdinACleanEnvironmentAndTheHomeDirectory() throws Exception {
        Result r = run("|cat > out; env | sort > env; pwd > pwd", "Subject: hi\n\nhello\n");
        assertEquals(Status.SENT, r.status(), r.text());
        assertEquals("delivered to command: cat > out; env | sort > env; pwd > pwd", r.text());
        assertEquals("Return-Path: <alice@example.org>\nDelivered-To: bob@mx.example.org\nSubject: hi\n\nhello\n",
                Files.readString(home.resolve("out")));
        assertEquals(home + "\n", Files.readString(home.resolve("pwd")));
        String env = Files.readString(home.resolve("env"));
        for (String v : List.of("HOME=" + home, "USER=bob", "LOGNAME=bob", "SHELL=/bin/bash", "PATH=/usr/bin:/bin",
                "SENDER=alice@example.org", "RECIPIENT=bob@mx.example.org", "LOCAL=bob", "DOMAIN=mx.example.org")) {
            assertTrue(env.contains(v + "\n"), v + " in\n" + env);
        }
        assertTrue(!env.contains("JAVA_HOME=") && !env.contains("MAVEN"), "nothing of the daemon's environment:\n" + env);
    }

    @Test
    void exitStatusesAsSysexitsMapsThem() {
        Result r = run("|exit 75", "x\n");
        assertEquals(Status.DEFERRED, r.status());
        assertEquals("4.3.0", r.dsn());
        assertEquals("command exited 75", r.text());

        r = run("|cat >/dev/null; echo 'no such folder: inbox' >&2; echo second line >&2; exit 1", "x\n");
        assertEquals(Status.BOUNCED, r.status());
        assertEquals("5.3.0", r.dsn());
        assertEquals("no such folder: inbox", r.text());

        r = run("|exit 67", "x\n");
        assertEquals(new Result(Status.BOUNCED, "5.1.1", "command exited 67"), r);
        assertEquals("5.7.0", ForwardTargets.sysexits(77));
        assertEquals("4.3.0", ForwardTargets.sysexits(71));
        assertEquals("5.3.0", ForwardTargets.sysexits(2));

        r = run("|kill -9 $$", "x\n");
        assertEquals(Status.DEFERRED, r.status(), r.text());
        assertEquals("command died with signal 9", r.text());
    }

    @Test
    void aCommandThatDoesNotReadItsInputStillSucceeds() {
        Result r = run("|true", "x\n".repeat(200_000)); // more than a pipe holds
        assertEquals(Status.SENT, r.status(), r.text());
    }

    @Test
    void aCommandThatRunsTooLongIsKilledWithItsChildrenAndDeferred() throws Exception {
        Path passwd = dir.resolve("passwd");
        ForwardTargets quick = new ForwardTargets(new Passwd(passwd, dir.resolve("group")), Duration.ofSeconds(1),
                ZoneOffset.UTC, NO_SETPRIV);
        Result r = quick.deliver("bob@mx.example.org", "|sleep 60 & echo $! > child; wait", "", content("x\n"));
        assertEquals(Status.DEFERRED, r.status(), r.text());
        assertEquals("command timed out after 1s", r.text());
        long child = Long.parseLong(Files.readString(home.resolve("child")).strip());
        // the whole process group was killed, not only the shell: SIGKILL is sent by then, but a loaded
        // machine may take a moment to run the child to its end (gone or a zombie; bounded wait)
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true) || isZombie(child))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true) || isZombie(child), "sleep " + child + " still runs");
    }

    static boolean isZombie(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat")).matches("\\d+ \\(.*\\) Z .*\\s*");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void whenTheIdentityChangeFailsTheDeliveryIsDeferred() throws Exception {
        Path passwd = dir.resolve("passwd");
        ForwardTargets noCap = new ForwardTargets(new Passwd(passwd, dir.resolve("group")), Duration.ofSeconds(30), ZoneOffset.UTC,
                List.of("/bin/sh", "-c", "echo 'setpriv: setgroups failed: Operation not permitted' >&2; exit 127", "setpriv"));
        Result r = noCap.deliver("bob@mx.example.org", "|cat", "", content("x\n"));
        assertEquals(Status.DEFERRED, r.status());
        assertEquals("cannot run as the user: setpriv: setgroups failed: Operation not permitted", r.text());
    }

    @Test
    void aFileTargetGetsMboxrdAppendsMadeMode0600() throws Exception {
        Path file = home.resolve("mail.log");
        Result r = run(file.toString(), "Subject: one\n\nFrom here\n>From there\n");
        assertEquals(new Result(Status.SENT, "2.0.0", "delivered to file: " + file), r);
        assertEquals(Status.SENT, run(file.toString(), "Subject: two\n\nno newline").status());
        String mbox = Files.readString(file);
        assertTrue(mbox.matches("(?s)From alice@example\\.org \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n"
                + "Return-Path: <alice@example\\.org>\nDelivered-To: bob@mx\\.example\\.org\nSubject: one\n\n"
                + ">From here\n>>From there\n\n"
                + "From alice@example\\.org .*\nReturn-Path: <alice@example\\.org>\nDelivered-To: bob@mx\\.example\\.org\n"
                + "Subject: two\n\nno newline\n\n"), mbox);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        r = run(dir.resolve("no/such/dir/file").toString(), "x\n");
        assertEquals(Status.BOUNCED, r.status());
        assertEquals("5.2.0", r.dsn());
        assertTrue(r.text().startsWith("cannot append to " + dir.resolve("no/such/dir/file") + ": "), r.text());
    }

    static MessageContent content(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override public long size() { return b.length; }
            @Override public long lines() { return text.chars().filter(c -> c == '\n').count(); }
            @Override public InputStream open() { return new ByteArrayInputStream(b); }
        };
    }
}
