package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8 "Send-only home relay": the daemon runs with docs/examples/home-relay.properties as
 * shipped (only the smarthost's address, its TLS mode for a test certificate, the retry times and
 * the data directory changed), listens on no TCP port at all, takes cron-style mail to
 * {@code root} from {@code sendmail}, sends it through the aliases to a person at the smarthost
 * (GreenMail SMTPS with AUTH), and keeps it queued while the smarthost is down.
 */
class HomeRelayIT {
    static final String USER = "you@isp.example";
    static final String PASSWORD = "home-relay-secret";

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    GreenMail smarthost;

    @AfterEach
    void stop() throws Exception {
        if (mailroom != null) mailroom.close();
        if (smarthost != null) smarthost.stop();
    }

    /** The example profile with {@code key = value} lines replaced (each key must be in the file). */
    static String profile(String... keyValues) throws IOException {
        String text = Files.readString(Path.of("..", "docs", "examples", "home-relay.properties"));
        for (int i = 0; i < keyValues.length; i += 2) {
            String k = keyValues[i], line = k + " = " + keyValues[i + 1];
            String replaced = text.replaceFirst("(?m)^" + java.util.regex.Pattern.quote(k) + " =.*$",
                    java.util.regex.Matcher.quoteReplacement(line));
            if (replaced.equals(text) && !text.contains("\n" + line + "\n")) throw new AssertionError("no " + k + " in the profile");
            text = replaced;
        }
        return text;
    }

    @Test
    void noListenerQueuesWhileTheSmarthostIsDownAndDeliversWhenItIsBack() throws Exception {
        int port = MailroomProcess.freePort();
        // GreenMail's SMTPS has a self-signed certificate: "implicit" instead of the profile's "verify"
        mailroom = MailroomProcess.withConfig(dir, profile("hostname", "laptop.home.test",
                "relay.smarthost", "[127.0.0.1]:" + port, "relay.smarthostTls", "implicit", "relay.smarthostUser", USER,
                "queue.retryInitial", "1s", "queue.retryMax", "2s"));
        Files.copy(Path.of("..", "docs", "examples", "home-relay.aliases"), mailroom.configDir.resolve("aliases"));
        Files.writeString(mailroom.configDir.resolve("aliases"),
                Files.readString(mailroom.configDir.resolve("aliases")).replace("you@example.org", USER));
        Path pw = mailroom.configDir.resolve("smarthost.password");
        Files.writeString(pw, PASSWORD + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        mailroom.start();

        assertEquals(List.of(), listeningTcpSockets(mailroom.pid()), "the daemon listens on a TCP port");
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) { // the check itself sees a listener
            assertEquals(1, listeningTcpSockets(ProcessHandle.current().pid()).stream()
                    .filter(a -> a.endsWith(String.format(":%04X", probe.getLocalPort()))).count());
        }

        // cron's way: mail to the bare name "root", with the smarthost down
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.mailroom.daemon.Sendmail",
                "--config", mailroom.configDir.toString(), "-i", "root").redirectErrorStream(true).start();
        try (OutputStream o = p.getOutputStream()) {
            o.write("Subject: cron: backup done\n\nall good\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        Path deferred = mailroom.dataDir.resolve("queue/deferred");
        Await.until(Duration.ofSeconds(30), () -> count(deferred) == 1, "the message deferred while the smarthost is down");
        assertTrue(mailroom.log().contains("to=<" + USER + ">"), mailroom.log());

        smarthost = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smarthost.setUser(USER, USER, PASSWORD);
        smarthost.start();
        Await.until(Duration.ofSeconds(60), () -> smarthost.getReceivedMessages().length == 1, "the retry reaching the smarthost");
        MimeMessage got = smarthost.getReceivedMessages()[0];
        assertEquals("cron: backup done", got.getSubject());
        String[] received = got.getHeader("Received");
        assertTrue(String.join("\n", received).contains("by laptop.home.test (Mailroom, from userid"), String.join("\n", received));
        Await.until(Duration.ofSeconds(10), () -> count(deferred) == 0, "the queue emptied");
        Await.until(Duration.ofSeconds(10), () -> mailroom.log().contains("status=sent"), "the status=sent line");
        // root's alias target, through the smarthost
        assertTrue(mailroom.log().matches("(?s).*to=<" + USER + ">, relay=127\\.0\\.0\\.1\\[127\\.0\\.0\\.1\\]:" + port
                + ", .*status=sent.*"), mailroom.log());
        // still nothing listening, and every TCP socket the daemon holds goes to the smarthost
        assertEquals(List.of(), listeningTcpSockets(mailroom.pid()));
        for (String remote : tcpSocketRemotes(mailroom.pid())) assertTrue(remote.endsWith(":" + port), remote);
    }

    private static long count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".env")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The socket inodes the process holds open: /proc/<pid>/fd links to "socket:[inode]". */
    static Set<String> socketInodes(long pid) throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String t = Files.readSymbolicLink(fd).toString();
                    if (t.startsWith("socket:[")) out.add(t.substring(8, t.length() - 1));
                } catch (IOException gone) {
                    // closed while listed
                }
            }
        }
        return out;
    }

    /** /proc/<pid>/net/tcp and tcp6 rows (all sockets of the net namespace) whose inode the process holds. */
    static List<String[]> tcpRows(long pid) throws IOException {
        Set<String> mine = socketInodes(pid);
        List<String[]> rows = new ArrayList<>();
        for (String f : new String[] {"tcp", "tcp6"}) {
            Path table = Path.of("/proc", Long.toString(pid), "net", f);
            if (!Files.exists(table)) continue;
            List<String> lines = Files.readAllLines(table);
            for (String l : lines.subList(1, lines.size())) {
                String[] c = l.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                if (c.length > 9 && mine.contains(c[9])) rows.add(c);
            }
        }
        return rows;
    }

    /** Local addresses (hex, as the kernel shows them) of the process's sockets in state 0A, LISTEN. */
    static List<String> listeningTcpSockets(long pid) throws IOException {
        return tcpRows(pid).stream().filter(c -> c[3].equals("0A")).map(c -> c[1]).toList();
    }

    /** "addr:port" (port in decimal) of the other end of each TCP socket the process holds. */
    static List<String> tcpSocketRemotes(long pid) throws IOException {
        return tcpRows(pid).stream().map(c -> {
            String[] hp = c[2].split(":");
            return hp[0] + ":" + Integer.parseInt(hp[1], 16);
        }).toList();
    }
}
