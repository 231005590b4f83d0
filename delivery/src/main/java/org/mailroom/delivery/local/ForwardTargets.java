package org.mailroom.delivery.local;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.mbox.MboxMessage;
import org.mailroom.core.unix.Passwd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery to the {@code |command} and {@code /file} targets of a Unix user's {@code ~/.forward}
 * ({@code local.forwardPrograms}, issue 8), as Postfix's local(8) does it: always as the user,
 * never as the daemon. Blocking; called from the queue's workers.
 *
 * <p>How a target runs: {@code setpriv --reuid=<uid> --regid=<gid> --init-groups
 * --inh-caps=-all --ambient-caps=-all -- env -C <home> timeout -k 10 <local.commandTimeout>
 * /bin/sh -c ...}. setpriv (util-linux) changes the identity, which needs CAP_SETUID and
 * CAP_SETGID in the daemon; the inheritable and ambient capability sets are emptied so that the
 * user's program gets none of the daemon's capabilities (a change between two non-zero uids does
 * not clear them by itself). env (coreutils) enters the home directory as the user, so the daemon
 * needs no right to it. timeout (coreutils) runs as the user too: it puts the command in its own
 * process group and kills the whole group when the time is up, which the daemon could not do to
 * another user's processes without CAP_KILL.
 *
 * <p>The environment is clean, as local(8) makes it: {@code HOME}, {@code USER}, {@code LOGNAME},
 * {@code SHELL}, {@code PATH=/usr/bin:/bin}, {@code SENDER}, {@code RECIPIENT}, {@code LOCAL},
 * {@code DOMAIN}. The message comes on standard input with {@code Return-Path:} and
 * {@code Delivered-To:} in front; stdout is discarded; the first 4 KiB of stderr are kept for
 * the log and the bounce.
 *
 * <p>Outcomes (sysexits.h as Postfix's sys_exits maps them): 0 delivered; 75 (EX_TEMPFAIL) and 71
 * (EX_OSERR) deferred; 64-78 otherwise bounced with their enhanced status (67 EX_NOUSER 5.1.1, 77
 * EX_NOPERM 5.7.0, ...); any other exit bounced 5.3.0; death by a signal and a timeout deferred.
 * The reason is the first line of stderr, else "command exited N". When setpriv itself fails (no
 * CAP_SETUID: "Operation not permitted") the delivery is deferred with a warning in the log.
 *
 * <p>A {@code /file} target is appended to in mboxrd form ({@link MboxMessage}) by
 * {@code flock -w 60 -E 75 FILE cat >>FILE} under the same setpriv, umask 077 (a new file is the
 * user's, mode 0600). XXX the lock is flock(2) on the file, which procmail's and flock(1)'s users
 * honour but mutt's fcntl lock and the dotlock do not: point such a target at a file no MUA
 * writes, not at the spool mailbox.
 */
public final class ForwardTargets {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.local");
    /** Kept of a command's stderr, for the log and the bounce. */
    static final int STDERR_LIMIT = 4096;
    /** After the timeout, TERM; this much later, KILL (timeout -k). */
    static final int KILL_AFTER_SECONDS = 10;
    /** How long an append waits for another writer's flock before deferring. */
    static final int LOCK_WAIT_SECONDS = 60;

    /** What became of one target. */
    public enum Status { SENT, DEFERRED, BOUNCED }

    /** @param dsn RFC 3463 enhanced status; @param text the reason or what was done, one line */
    public record Result(Status status, String dsn, String text) {}

    private final Passwd passwd;
    private final Duration timeout;
    private final ZoneId zone;
    private final List<String> setpriv;

    public ForwardTargets(Passwd passwd, Duration timeout, ZoneId zone) {
        this(passwd, timeout, zone, List.of("/usr/bin/setpriv"));
    }

    /** @param setpriv the command that changes identity (tests put a stand-in here) */
    ForwardTargets(Passwd passwd, Duration timeout, ZoneId zone, List<String> setpriv) {
        this.passwd = passwd;
        this.timeout = timeout;
        this.zone = zone;
        this.setpriv = List.copyOf(setpriv);
    }

    /**
     * Runs {@code target} ({@code |command} or {@code /file}) of {@code account}'s user with the
     * message. Never throws: every failure is a result.
     *
     * @param account     the user's {@code user@<hostname>}, also {@code $RECIPIENT}
     * @param reversePath the envelope sender ({@code $SENDER}, {@code Return-Path:}); "" for the null sender
     */
    public Result deliver(String account, String target, String reversePath, MessageContent content) {
        String user = account.substring(0, account.lastIndexOf('@'));
        boolean command = target.startsWith("|");
        String value = command ? target.substring(1).strip() : target;
        Optional<Passwd.Account> found;
        try {
            found = passwd.byName(user);
        } catch (IOException e) {
            return new Result(Status.DEFERRED, "4.3.0", "cannot read the passwd file: " + e.getMessage());
        }
        if (found.isEmpty()) return new Result(Status.DEFERRED, "4.3.0", "no Unix account " + user);
        Passwd.Account a = found.get();
        MessageContent traced = content.prepend(("Return-Path: <" + reversePath + ">\nDelivered-To: " + account + "\n")
                .getBytes(StandardCharsets.UTF_8));
        List<String> argv = argv(a, command, value);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(environment(a, account, reversePath));
        long started = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            log.warn("cannot run {} as {}: {}", argv.get(0), user, e.getMessage());
            return new Result(Status.DEFERRED, "4.3.0", "cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        // XXX a command that leaves a child behind holding its stdin without reading keeps this
        // thread blocked in write until that child ends; the delivery itself is not held up
        Thread writer = daemonThread("forward-stdin", () -> feed(p, traced, command, reversePath));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread reader = daemonThread("forward-stderr", () -> drain(p.getErrorStream(), err));
        boolean exited;
        try {
            // the command's own timeout kills it; this is the backstop should timeout(1) itself hang
            exited = p.waitFor(timeout.toSeconds() + KILL_AFTER_SECONDS + 20, TimeUnit.SECONDS);
            if (exited) reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            p.destroyForcibly(); // XXX only works for the daemon's own processes (or with CAP_KILL)
            writer.interrupt();
            return new Result(Status.DEFERRED, "4.3.0", (command ? "command" : "append") + " did not end after "
                    + timeout.toSeconds() + "s");
        }
        String stderr;
        synchronized (err) {
            stderr = err.toString(StandardCharsets.UTF_8);
        }
        Result r = outcome(p.exitValue(), stderr, command, value, Duration.ofNanos(System.nanoTime() - started));
        if (r.status() == Status.DEFERRED && isSetupFailure(stderr)) {
            log.warn("cannot deliver to {} as {} (uid {}): {}", target, user, a.uid(), firstLine(stderr));
        }
        return r;
    }

    /** The argument vector: identity change, home directory, time limit, then the shell. */
    List<String> argv(Passwd.Account a, boolean command, String value) {
        List<String> argv = new ArrayList<>(setpriv);
        argv.addAll(List.of("--reuid=" + a.uid(), "--regid=" + a.gid(), "--init-groups",
                "--inh-caps=-all", "--ambient-caps=-all", "--",
                "/usr/bin/env", "-C", a.home().isEmpty() ? "/" : a.home(),
                "/usr/bin/timeout", "-k", Integer.toString(KILL_AFTER_SECONDS), Long.toString(Math.max(1, timeout.toSeconds())),
                "/bin/sh", "-c"));
        if (command) {
            argv.add(value);
        } else {
            argv.addAll(List.of("umask 077 && exec /usr/bin/flock -w " + LOCK_WAIT_SECONDS + " -E 75 \"$1\" /bin/cat >>\"$1\"",
                    "sh", value));
        }
        return argv;
    }

    /** local(8)'s environment for a command: nothing of the daemon's own. */
    static Map<String, String> environment(Passwd.Account a, String account, String reversePath) {
        int at = account.lastIndexOf('@');
        return Map.of("HOME", a.home(), "USER", a.name(), "LOGNAME", a.name(),
                "SHELL", a.shell().isEmpty() ? "/bin/sh" : a.shell(), "PATH", "/usr/bin:/bin",
                "SENDER", reversePath, "RECIPIENT", account,
                "LOCAL", account.substring(0, at), "DOMAIN", account.substring(at + 1));
    }

    private void feed(Process p, MessageContent content, boolean command, String reversePath) {
        try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 65536); InputStream in = content.open()) {
            if (command) {
                in.transferTo(out);
            } else {
                MboxMessage.write(out, reversePath, Instant.now(), zone, in);
            }
        } catch (IOException e) {
            // a command may exit without reading all of its input (EPIPE); its exit status decides
        }
    }

    private static void drain(InputStream in, ByteArrayOutputStream err) {
        byte[] buf = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (err) {
                    int room = STDERR_LIMIT - err.size();
                    if (room > 0) err.write(buf, 0, Math.min(room, n)); // the rest is read and dropped
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** The result of an exit status; {@code elapsed} tells a timeout from a command that exits 124. */
    Result outcome(int exit, String stderr, boolean command, String value, Duration elapsed) {
        String what = command ? "command" : "file " + value;
        if (exit == 0) return new Result(Status.SENT, "2.0.0", "delivered to " + (command ? "command: " + value : "file: " + value));
        if (isSetupFailure(stderr)) return new Result(Status.DEFERRED, "4.3.0", "cannot run as the user: " + firstLine(stderr));
        if ((exit == 124 || exit == 137) && elapsed.compareTo(timeout) >= 0) {
            return new Result(Status.DEFERRED, "4.3.0", what + " timed out after " + timeout.toSeconds() + "s");
        }
        String reason = firstLine(stderr);
        if (!command) {
            if (exit == 75) return new Result(Status.DEFERRED, "4.2.0", "file " + value + " is locked by another writer");
            boolean temporary = reason.contains("No space left") || reason.contains("quota");
            String text = "cannot append to " + value + (reason.isEmpty() ? " (exit " + exit + ")" : ": " + reason);
            return temporary ? new Result(Status.DEFERRED, "4.3.1", text) : new Result(Status.BOUNCED, "5.2.0", text);
        }
        if (reason.isEmpty()) reason = exit > 128 ? "command died with signal " + (exit - 128) : "command exited " + exit;
        if (exit > 128) return new Result(Status.DEFERRED, "4.3.0", reason);
        String dsn = sysexits(exit);
        return new Result(dsn.startsWith("4") ? Status.DEFERRED : Status.BOUNCED, dsn, reason);
    }

    /** sysexits.h as an enhanced status (Postfix's sys_exits table); others 5.3.0. */
    static String sysexits(int exit) {
        return switch (exit) {
            case 64, 66, 69, 70, 72, 74 -> "5.3.0"; // usage, no input, unavailable, software, OS file, I/O
            case 65 -> "5.6.0";                  // EX_DATAERR
            case 67 -> "5.1.1";                  // EX_NOUSER
            case 68 -> "5.1.2";                  // EX_NOHOST
            case 71 -> "4.3.0";                  // EX_OSERR: a resource problem, try again
            case 73 -> "5.2.0";                  // EX_CANTCREAT
            case 75 -> "4.3.0";                  // EX_TEMPFAIL
            case 76 -> "5.5.0";                  // EX_PROTOCOL
            case 77 -> "5.7.0";                  // EX_NOPERM
            case 78 -> "5.3.5";                  // EX_CONFIG
            default -> "5.3.0";
        };
    }

    /** stderr of setpriv, env or timeout themselves: the identity change or the set-up failed, not the command. */
    static boolean isSetupFailure(String stderr) {
        return stderr.startsWith("setpriv:") || stderr.startsWith("/usr/bin/env:") || stderr.startsWith("env:")
                || stderr.startsWith("timeout:") || stderr.startsWith("/usr/bin/timeout:");
    }

    static String firstLine(String s) {
        String l = s.strip();
        int nl = l.indexOf('\n');
        l = nl < 0 ? l : l.substring(0, nl).strip();
        StringBuilder sb = new StringBuilder(Math.min(l.length(), 200));
        for (int i = 0; i < l.length() && sb.length() < 200; i++) {
            char c = l.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c); // one line for the log and the DSN
        }
        return sb.toString();
    }

    private static Thread daemonThread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
