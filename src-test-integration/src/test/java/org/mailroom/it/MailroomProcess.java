package org.mailroom.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.mailroom.daemon.Cli;

/**
 * The real daemon in its own JVM (as {@code bin/mailroom run} starts it), with a generated config
 * directory, a temporary data directory and ephemeral loopback ports. Its output goes to
 * {@code daemon.log} in the test's directory; {@link #log()} reads it for assertions.
 */
final class MailroomProcess implements AutoCloseable {
    final Path configDir;
    final Path dataDir;
    final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Path logFile;
    private final String[] extraConfig;
    private Process process;

    private final String wholeConfig;
    private List<String> launcher = List.of();
    private String classPath;

    /**
     * Starts the daemon through {@code launcher} (e.g. {@code setpriv --reuid=...}, issue 8: the
     * daemon as an unprivileged user) with {@code classPath} instead of the test's, which another
     * user may not be able to read.
     */
    MailroomProcess launchWith(List<String> launcher, String classPath) {
        this.launcher = List.copyOf(launcher);
        this.classPath = classPath;
        return this;
    }

    MailroomProcess(Path dir, String... extraConfig) throws IOException {
        this(dir, extraConfig, null);
    }

    private MailroomProcess(Path dir, String[] extraConfig, String wholeConfig) throws IOException {
        this.configDir = dir.resolve("conf");
        this.dataDir = dir.resolve("data");
        this.logFile = dir.resolve("daemon.log");
        this.extraConfig = extraConfig;
        this.wholeConfig = wholeConfig;
        Files.createDirectories(configDir);
        writeConfig();
    }

    /**
     * A daemon with exactly this mailroom.properties ({@code data.dir} set to the test's): no ports are picked,
     * and {@link #start} waits for the "mailroom started" log line instead of a greeting (a
     * profile with no listener at all, issue 8).
     */
    static MailroomProcess withConfig(Path dir, String properties) throws IOException {
        return new MailroomProcess(dir, new String[0], properties);
    }

    /** Picks free ports and writes mailroom.properties with them. */
    private void writeConfig() throws IOException {
        if (wholeConfig != null) {
            String line = java.util.regex.Matcher.quoteReplacement("data.dir = " + dataDir);
            String cfg = wholeConfig.matches("(?s)(.*\n)?data\\.dir\\s*=.*") ? wholeConfig.replaceFirst("(?m)^data\\.dir\\s*=.*$", line)
                    : wholeConfig + "\n" + line + "\n";
            Files.writeString(configDir.resolve("mailroom.properties"), cfg);
            return;
        }
        // all held open at once, so the kernel cannot hand out the same port twice
        List<ServerSocket> held = new ArrayList<>();
        try {
            // http too: its default (127.0.0.1:10080) would collide between daemons started side by side
            for (String l : new String[] {"smtp", "submission", "submissions", "pop3", "pop3s", "imap", "imaps", "http"}) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports.put(l, s.getLocalPort());
            }
        } finally {
            for (ServerSocket s : held) s.close();
        }
        StringBuilder cfg = new StringBuilder();
        cfg.append("hostname = mx.example.test\n");
        cfg.append("domains = example.test\n");
        cfg.append("data.dir = ").append(dataDir).append('\n');
        cfg.append("shutdown.grace = 5s\n");
        for (Map.Entry<String, Integer> p : ports.entrySet()) {
            cfg.append(p.getKey()).append(".listen = 127.0.0.1:").append(p.getValue()).append('\n');
        }
        for (String e : extraConfig) cfg.append(e).append('\n');
        Files.writeString(configDir.resolve("mailroom.properties"), cfg.toString());
    }

    int port(String listener) { return ports.get(listener); }

    /** Runs a CLI command in-process (e.g. {@code user add}) and returns its exit code. */
    int cli(String stdin, String... args) {
        return run(stdin, args).exit();
    }

    /** What a CLI command printed, and its exit code. */
    record CliResult(int exit, String out, String err) {}

    /** Runs a CLI command in-process (e.g. {@code queue list}) and returns its output. */
    CliResult run(String stdin, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--config");
        a.add(configDir.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = new Cli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(a.toArray(String[]::new));
        return new CliResult(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    void addUser(String address, String password) {
        int rc = cli(password + "\n", "user", "add", address);
        if (rc != 0) throw new IllegalStateException("user add " + address + " failed: " + rc);
    }

    /** Starts the daemon and waits until the SMTP listener greets. */
    MailroomProcess start() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int logBefore = log().length();
            try {
                return startOnce();
            } catch (IllegalStateException e) {
                // freePort() cannot reserve a port: another process may take it before the daemon
                // binds it (seen on a busy CI machine); pick new ones and try again
                if (attempt >= 3 || !log().substring(logBefore).contains("Address already in use")) throw e;
                writeConfig();
            }
        }
    }

    private MailroomProcess startOnce() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(java, "-cp", classPath != null ? classPath : System.getProperty("java.class.path"),
                "org.mailroom.daemon.Main", "run", "--config", configDir.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        int logBefore = log().length();
        process = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("daemon exited " + process.exitValue() + ":\n" + log());
            if (ports.isEmpty()) { // no listener to greet: the log says when the start is complete
                if (log().substring(logBefore).contains("mailroom started")) return this;
                TimeUnit.MILLISECONDS.sleep(100);
                continue;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port("smtp")), 500);
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                if (in.read() == '2' && allListening(deadline)) return this;
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IllegalStateException("daemon did not start within 60s:\n" + log());
    }

    /**
     * SMTP answers first; the other listeners are bound right after it. Waits until each accepts a
     * connection, so that a test never races the daemon's start.
     */
    private boolean allListening(long deadline) throws InterruptedException {
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            if (java.util.Arrays.stream(extraConfig).anyMatch(l -> l.startsWith(e.getKey() + ".listen"))) continue; // the test moved it
            while (true) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", e.getValue()), 500);
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline || !process.isAlive()) return false;
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
        }
        return true;
    }

    /** SIGKILL: no shutdown hook, no flush; what was acknowledged must already be on disk. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the exit; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("daemon ignored SIGTERM for 60s");
        }
        return process.exitValue();
    }

    /** SIGHUP ({@code systemctl reload}): the daemon re-reads its configuration and files. */
    void hangup() throws Exception {
        exec(Duration.ofSeconds(10), null, "kill", "-HUP", Long.toString(process.pid()));
    }

    long pid() { return process.pid(); }

    boolean isAlive() { return process != null && process.isAlive(); }

    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(cannot read log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a command-line client, returns its output; fails the test with its output when it fails. */
    static String exec(Duration timeout, String stdin, String... cmd) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(cmd[0] + " is not installed (.ci/run installs it with apt): " + e.getMessage());
        }
        try (OutputStream o = p.getOutputStream()) {
            if (stdin != null) o.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + text);
        return text;
    }
}
