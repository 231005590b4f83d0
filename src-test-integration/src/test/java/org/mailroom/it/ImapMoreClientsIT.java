package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, more real clients against the real daemon: fetchmail (IMAP over STARTTLS, IMAPS and
 * plain loopback; {@code keep}, the default delete-and-expunge, and {@code idle}), a scripted
 * session of Python's imaplib (the way backup tools and mail scripts use it: quoted and UTF-7
 * names, UID SEARCH with a UTF-8 literal, header-field FETCH, BODYSTRUCTURE, APPEND with flags and
 * date, UID STORE/COPY/MOVE, EXPUNGE, IDLE by raw commands), s-nail in batch mode over IMAPS, and
 * mutt (in a pseudo-terminal) with COMPRESS=DEFLATE, its header cache and QRESYNC.
 * What each client did is checked through a second path: Angus Mail over IMAPS, or the Maildir
 * files. {@code .ci/run} installs the tools; where one is missing outside CI its test is skipped.
 */
class ImapMoreClientsIT {
    private static final String ALICE = "alice@example.test";
    private static final String PASSWORD = "alice-imap-secret";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    private final List<Store> open = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // auth.plaintextOnLoopback is true by default: the plain-IMAP runs may log in on 127.0.0.1
        mailroom = new MailroomProcess(dir.resolve("daemon"));
        mailroom.addUser(ALICE, PASSWORD);
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (Store s : open) {
            try {
                s.close();
            } catch (MessagingException ignored) {
                // the daemon may be gone already
            }
        }
        mailroom.close();
    }

    /** Skips when {@code tool} is absent here; in CI (where .ci/run installs it) fails instead. */
    private static void requireTool(String tool) {
        Tools.require(tool, tool);
    }

    private Path cert() {
        Path cert = mailroom.dataDir.resolve("tls").resolve("selfsigned-cert.pem");
        assertTrue(Files.exists(cert), "the self-signed certificate made on first start");
        return cert;
    }

    private Session session() {
        return Tools.imaps(mailroom);
    }

    private Store store() throws MessagingException {
        Store s = session().getStore("imaps");
        s.connect(ALICE, PASSWORD);
        open.add(s);
        return s;
    }

    /** APPENDs these exact bytes (Angus sends an unmodified parsed message as it was read). */
    private void append(String folder, byte[] raw, Flags.Flag... flags) throws MessagingException {
        Store s = store();
        Folder f = s.getFolder(folder);
        if (!f.exists()) assertTrue(f.create(Folder.HOLDS_MESSAGES));
        MimeMessage m = new MimeMessage(session(), new ByteArrayInputStream(raw));
        for (Flags.Flag fl : flags) m.setFlag(fl, true);
        f.appendMessages(new Message[] {m});
        s.close();
    }

    /** One message on the server as a new connection sees it. */
    private record Seen(Flags flags, Date internalDate, byte[] bytes) {}

    /** Subject -> what the server holds, through Angus Mail over IMAPS. */
    private Map<String, Seen> serverView(String folder) throws Exception {
        Store s = store();
        Folder f = s.getFolder(folder);
        f.open(Folder.READ_ONLY);
        Map<String, Seen> view = new TreeMap<>();
        for (Message m : f.getMessages()) {
            byte[] bytes;
            try (InputStream in = ((MimeMessage) m).getRawInputStream()) {
                bytes = in.readAllBytes(); // the body; headers are checked by subject and flags
            }
            view.put(m.getSubject(), new Seen(m.getFlags(), m.getReceivedDate(), bytes));
        }
        f.close(false);
        s.close();
        return view;
    }

    /** The Maildir files of a folder (cur and new) of alice. */
    private List<Path> maildirFiles(String dotFolder) throws IOException {
        Path box = mailroom.dataDir.resolve("mail").resolve("example.test").resolve("alice");
        if (!dotFolder.isEmpty()) box = box.resolve(dotFolder);
        List<Path> files = new ArrayList<>();
        for (String sub : new String[] {"cur", "new"}) {
            Path d = box.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> s = Files.list(d)) {
                files.addAll(s.toList());
            }
        }
        return files;
    }

    /** A tool's exit code and output. */
    private record Run(int exit, String out) {}

    /** Runs a tool with extra environment, its output captured; fails on a timeout, not on an exit code. */
    private static Run run(Map<String, String> env, String stdin, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var o = p.getOutputStream()) {
            if (stdin != null) o.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        // read on another thread so that a hung tool cannot outlast the timeout
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output lost: " + e + ")";
            }
        });
        if (!p.waitFor(TOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " timed out:\n" + out.getNow("(no output)"));
        }
        return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS));
    }

    // ---- fetchmail ------------------------------------------------------------------------

    private static final byte[] FM1 = ("From: Bob <bob@remote.example>\r\nTo: alice@example.test\r\nSubject: fm one\r\n"
            + "Message-ID: <fm-1@remote.example>\r\nDate: Mon, 02 Feb 2026 10:00:00 +0000\r\n\r\n"
            + "first body\r\nFrom the start of a line\r\n.\r\n..two dots\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FM2 = ("From: Carol <carol@remote.example>\r\nTo: alice@example.test\r\nSubject: fm two\r\n"
            + "Message-ID: <fm-2@remote.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] FM3 = ("From: Dave <dave@remote.example>\r\nTo: alice@example.test\r\nSubject: fm three\r\n"
            + "Message-ID: <fm-3@remote.example>\r\n\r\nalready read\r\n").getBytes(StandardCharsets.US_ASCII);

    /** How fetchmail reaches the daemon. */
    private enum Transport { IMAPS, STARTTLS, PLAIN }

    /**
     * A fetchmailrc polling alice's INBOX with {@code options} (keep/nokeep, fetchall, idle), every
     * message handed to an MDA script that writes it to a file of its own in {@code out}.
     */
    private Path fetchmailrc(Transport transport, Path out, String options) throws IOException {
        Files.createDirectories(out);
        Path mda = dir.resolve("mda.sh");
        Files.writeString(mda, "#!/bin/sh\n# one file per message, as fetchmail hands it over\n"
                + "cat > \"" + out + "/$(date +%s%N)-$$.eml\"\n");
        assertTrue(mda.toFile().setExecutable(true));
        StringBuilder rc = new StringBuilder("set no syslog\nset no bouncemail\n");
        int port = transport == Transport.IMAPS ? mailroom.port("imaps") : mailroom.port("imap");
        rc.append("poll 127.0.0.1 with proto IMAP port ").append(port).append('\n');
        rc.append("  user \"").append(ALICE).append("\" there with password \"").append(PASSWORD)
                .append("\" is \"").append(System.getProperty("user.name")).append("\" here\n");
        switch (transport) {
            // RFC 8314 implicit TLS; the daemon's certificate is the trust anchor, named mx.example.test
            case IMAPS -> rc.append("  ssl sslcertck sslcertfile \"").append(cert())
                    .append("\" sslcommonname mx.example.test\n");
            // RFC 9051 6.2.1; fetchmail insists on STARTTLS once sslproto asks for TLS
            case STARTTLS -> rc.append("  sslproto 'tls1.2+' sslcertck sslcertfile \"").append(cert())
                    .append("\" sslcommonname mx.example.test\n");
            // sslproto '' switches fetchmail's opportunistic STARTTLS off
            case PLAIN -> rc.append("  sslproto ''\n");
        }
        rc.append("  ").append(options).append(" norewrite\n");
        rc.append("  mda \"").append(mda).append("\"\n");
        Path file = dir.resolve("fetchmailrc-" + transport);
        Files.writeString(file, rc.toString());
        // fetchmail refuses a control file others may read
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Map<String, String> fetchmailEnv() throws IOException {
        Path home = Files.createDirectories(dir.resolve("fmhome"));
        return Map.of("HOME", home.toString(), "FETCHMAILHOME", home.toString());
    }

    /** Subject -> what the MDA received, with fetchmail's Received field taken off the top. */
    private static Map<String, String> delivered(Path out) throws IOException {
        Map<String, String> got = new TreeMap<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Matcher received = Pattern.compile("\\AReceived: [^\n]*\n(?:[ \t][^\n]*\n)*").matcher(text);
                assertTrue(received.find(), "fetchmail's Received on top of\n" + text);
                String message = text.substring(received.end());
                Matcher subject = Pattern.compile("(?m)^Subject: (.*)$").matcher(message);
                assertTrue(subject.find(), message);
                assertFalse(got.containsKey(subject.group(1)), "delivered twice: " + subject.group(1));
                got.put(subject.group(1), message);
            }
        }
        return got;
    }

    /** The message as fetchmail hands it to an MDA: the same bytes with LF line ends. */
    private static String lf(byte[] crlf) {
        return new String(crlf, StandardCharsets.UTF_8).replace("\r\n", "\n");
    }

    @Test
    void fetchmailKeepOverStarttlsFetchesAllAndLeavesThemSeen() throws Exception {
        requireTool("fetchmail");
        append("INBOX", FM1);
        append("INBOX", FM2, Flags.Flag.FLAGGED);
        append("INBOX", FM3, Flags.Flag.SEEN);
        Path out = dir.resolve("fm-keep");
        Path rc = fetchmailrc(Transport.STARTTLS, out, "keep fetchall");
        Run r = run(fetchmailEnv(), null, "fetchmail", "-f", rc.toString(), "-v", "--nodetach");
        assertEquals(0, r.exit(), "fetchmail: 0 = messages fetched\n" + r.out());
        assertTrue(r.out().contains("IMAP> A0001 STARTTLS") || r.out().matches("(?s).*IMAP> A\\d+ STARTTLS.*"), r.out());
        assertTrue(Pattern.compile("imap: login user=<" + ALICE + ">, client=\\[127\\.0\\.0\\.1], mechanism=[-\\w]+, tls=yes, result=ok")
                .matcher(mailroom.log()).find(), mailroom.log());

        // byte for byte (LF line ends, fetchmail's Received on top): the dot lines and the "From " line untouched
        assertEquals(Map.of("fm one", lf(FM1), "fm two", lf(FM2), "fm three", lf(FM3)), delivered(out));

        // keep: all three stay; what fetchmail read is \Seen now, the other flags as they were
        Map<String, Seen> server = serverView("INBOX");
        assertEquals(List.of("fm one", "fm three", "fm two"), new ArrayList<>(server.keySet()));
        for (Seen s : server.values()) {
            assertTrue(s.flags().contains(Flags.Flag.SEEN), "fetched, so \\Seen: " + s.flags());
            assertFalse(s.flags().contains(Flags.Flag.DELETED), "kept: " + s.flags());
        }
        assertTrue(server.get("fm two").flags().contains(Flags.Flag.FLAGGED));
        assertEquals(3, maildirFiles("").size());

        // a second poll without fetchall finds nothing unseen: exit 1 ("no mail"), nothing delivered again
        Path again = dir.resolve("fm-again");
        Run r2 = run(fetchmailEnv(), null, "fetchmail", "-f", fetchmailrc(Transport.STARTTLS, again, "keep").toString(),
                "-v", "--nodetach");
        assertEquals(1, r2.exit(), r2.out());
        assertTrue(r2.out().contains("3 messages (3 seen)"), r2.out());
        try (Stream<Path> files = Files.list(again)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void fetchmailDefaultOverImapsDeletesAndExpunges() throws Exception {
        requireTool("fetchmail");
        append("INBOX", FM1);
        append("INBOX", FM2);
        append("INBOX", FM3, Flags.Flag.SEEN);
        Path out = dir.resolve("fm-delete");
        // no "keep": fetchmail marks each delivered message \Deleted and expunges
        Run r = run(fetchmailEnv(), null, "fetchmail", "-f", fetchmailrc(Transport.IMAPS, out, "nokeep fetchall").toString(),
                "-v", "--nodetach");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().matches("(?s).*IMAP> A\\d+ EXPUNGE.*"), r.out());
        assertEquals(Map.of("fm one", lf(FM1), "fm two", lf(FM2), "fm three", lf(FM3)), delivered(out));
        assertEquals(Map.of(), serverView("INBOX"), "all expunged");
        assertEquals(List.of(), maildirFiles(""), "the Maildir files are gone");
    }

    @Test
    void fetchmailIdleOverPlainLoopbackFetchesWhatArrives() throws Exception {
        requireTool("fetchmail");
        append("INBOX", FM1);
        Path out = dir.resolve("fm-idle");
        Path log = dir.resolve("fetchmail-idle.log");
        ProcessBuilder pb = new ProcessBuilder("fetchmail", "-f", fetchmailrc(Transport.PLAIN, out, "nokeep idle").toString(),
                "-v", "--nodetach").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(fetchmailEnv());
        Process p = pb.start();
        started.add(p);
        Pattern idle = Pattern.compile("IMAP> A\\d+ IDLE");
        Await.until(TOOL_TIMEOUT, () -> idle.matcher(read(log)).find() || !p.isAlive(), "fetchmail's first IDLE");
        assertTrue(p.isAlive(), read(log));
        // the first poll delivered and expunged what was there
        assertEquals(Map.of("fm one", lf(FM1)), delivered(out));
        assertEquals(Map.of(), serverView("INBOX"));

        // a new message wakes the IDLE (RFC 2177: * n EXISTS); fetchmail leaves IDLE with DONE and fetches it
        append("INBOX", FM2);
        Await.until(TOOL_TIMEOUT, () -> fileCount(out) == 2 || !p.isAlive(), "the message fetched out of IDLE");
        assertTrue(p.isAlive(), read(log));
        Await.until(TOOL_TIMEOUT, () -> {
            try {
                return serverView("INBOX").isEmpty();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the expunge after the IDLE fetch");
        assertEquals(Map.of("fm one", lf(FM1), "fm two", lf(FM2)), delivered(out));
        String l = read(log);
        assertTrue(Pattern.compile("IMAP< \\* 1 EXISTS\\R(?:.*\\R)*?.*IMAP> DONE").matcher(l).find(), l);
        assertTrue(l.contains("poll completed") || Pattern.compile("IMAP> A\\d+ IDLE(?:.*\\R)*.*IMAP> A\\d+ IDLE").matcher(l).find(),
                "back to IDLE after the fetch:\n" + l);
        // SIGTERM ends fetchmail's wait; it logs out
        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "fetchmail ends on SIGTERM");
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static long fileCount(Path d) {
        try (Stream<Path> files = Files.list(d)) {
            return files.count();
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- Python imaplib -------------------------------------------------------------------

    @Test
    void pythonImaplibScriptedSession() throws Exception {
        requireTool("python3");
        Path script = dir.resolve("imaplib_session.py");
        try (InputStream in = ImapMoreClientsIT.class.getResourceAsStream("imaplib_session.py")) {
            Files.write(script, in.readAllBytes());
        }
        Run r = run(Map.of(), null, "python3", script.toString(), "127.0.0.1", String.valueOf(mailroom.port("imap")),
                String.valueOf(mailroom.port("imaps")), ALICE, PASSWORD, cert().toString());
        assertEquals(0, r.exit(), "the imaplib session:\n" + r.out());
        Map<String, String> said = new HashMap<>();
        for (String line : r.out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("\\w+")) said.put(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        assertTrue(r.out().strip().endsWith("done"), r.out());

        // the server as Angus sees it: INBOX holds only what was appended during IDLE
        Map<String, Seen> inbox = serverView("INBOX");
        assertEquals(List.of("while idling"), new ArrayList<>(inbox.keySet()));
        assertTrue(inbox.get("while idling").flags().contains(Flags.Flag.DRAFT));
        // the copy kept the flags and the internal date APPEND gave (RFC 9051 6.4.7)
        Map<String, Seen> copied = serverView("Sp ace");
        assertEquals(List.of("Käse und Brot"), new ArrayList<>(copied.keySet()));
        Seen copy = copied.get("Käse und Brot");
        assertTrue(copy.flags().contains(Flags.Flag.FLAGGED) && copy.flags().contains("$Label1"), copy.flags().toString());
        assertFalse(copy.flags().contains(Flags.Flag.DELETED), "the \\Deleted came after the COPY");
        assertFalse(copy.flags().contains(Flags.Flag.SEEN), "only PEEKs fetched it");
        assertEquals(Long.parseLong(said.get("appended_at")), copy.internalDate().getTime() / 1000,
                "the APPEND date, " + copy.internalDate());
        // the moved message, under the UTF-7 name Angus decodes
        Map<String, Seen> moved = serverView("Äpfel/Grün");
        assertEquals(List.of("plain one"), new ArrayList<>(moved.keySet()));
        assertTrue(moved.get("plain one").flags().contains(Flags.Flag.SEEN)
                && moved.get("plain one").flags().contains(Flags.Flag.ANSWERED), moved.toString());
        assertArrayEquals("just text\r\n".getBytes(StandardCharsets.US_ASCII), moved.get("plain one").bytes());
        assertEquals(said.get("moved"), uidOfOnly("Äpfel/Grün"), "the UID in MOVE's COPYUID");
        assertEquals(said.get("copied"), uidOfOnly("Sp ace"), "the UID in COPY's COPYUID");
        assertEquals(said.get("idle_uid"), uidOfOnly("INBOX"), "the UID in APPENDUID");
        // the folders are there on disk, in Maildir++ form (a "." per level)
        Path home = mailroom.dataDir.resolve("mail").resolve("example.test").resolve("alice");
        assertTrue(Files.isDirectory(home.resolve(".Sp ace")) && Files.isDirectory(home.resolve(".Äpfel.Grün")), "folders on disk");
        // deleted while another session had it selected: that session got BYE (RFC 2180 3.2)
        assertEquals("ok", said.get("bye"));
        assertFalse(Files.exists(home.resolve(".Quo\"te")), "Quo\"te deleted");
        assertFalse(Files.isDirectory(home.resolve(".Äpfel")), "the parent was never created");
        assertEquals(1, maildirFiles("").size(), "INBOX: the expunged file is gone");
    }

    /** The UID of the one message in {@code name}. */
    private String uidOfOnly(String name) throws MessagingException {
        Store s = store();
        IMAPFolder f = (IMAPFolder) s.getFolder(name);
        f.open(Folder.READ_ONLY);
        Message[] all = f.getMessages();
        assertEquals(1, all.length, name);
        String uid = String.valueOf(f.getUID(all[0]));
        f.close(false);
        s.close();
        return uid;
    }

    // ---- s-nail ---------------------------------------------------------------------------

    @Test
    void snailBatchModeOverImaps() throws Exception {
        requireTool("s-nail");
        append("INBOX", FM1);
        append("INBOX", FM2);
        append("INBOX", FM3, Flags.Flag.SEEN);
        Path home = Files.createDirectories(dir.resolve("snailhome"));
        // v15-compat URLs carry the user (percent-encoded) and password; "localhost" is a name the
        // daemon's certificate holds, and the certificate itself is the only trust anchor
        String account = "imaps://" + ALICE.replace("@", "%40") + ":" + PASSWORD + "@localhost:" + mailroom.port("imaps");
        String commands = String.join("\n",
                "headers",
                "copy 1 +Archive",   // s-nail APPENDs the copy (TRYCREATE is not needed: Archive exists)
                "flag 3",
                "delete 2",
                "file +Archive",     // leaving INBOX expunges the deleted message
                "headers",
                "quit") + "\n";
        Run r = run(Map.of("HOME", home.toString(), "MAILRC", "/dev/null"), commands, "s-nail", "-#", "-:/",
                "-S", "v15-compat", "-S", "errexit", "-S", "tls-ca-file=" + cert(), "-S", "tls-ca-no-defaults",
                "-S", "folder=" + account + "/", "-S", "MBOX=/dev/null", "-f", account + "/INBOX");
        assertEquals(0, r.exit(), "s-nail:\n" + r.out());
        for (String s : new String[] {"fm one", "fm two", "fm three"}) assertTrue(r.out().contains(s), s + " in\n" + r.out());

        Map<String, Seen> inbox = serverView("INBOX");
        assertEquals(List.of("fm one", "fm three"), new ArrayList<>(inbox.keySet()), "message 2 expunged");
        assertTrue(inbox.get("fm three").flags().contains(Flags.Flag.FLAGGED), "flag 3: " + inbox.get("fm three").flags());
        Map<String, Seen> archive = serverView("Archive");
        assertEquals(List.of("fm one"), new ArrayList<>(archive.keySet()));
        // s-nail APPENDs the copy as it keeps messages in mbox: with the blank line that ends one there
        assertEquals(lf(FM1).substring(lf(FM1).indexOf("\n\n") + 2) + "\n",
                new String(archive.get("fm one").bytes(), StandardCharsets.UTF_8).replace("\r\n", "\n"),
                "the copy's body, its \"From \" line and dot lines as they were");
        assertEquals(2, maildirFiles("").size());
        assertEquals(1, maildirFiles(".Archive").size());
    }

    // ---- mutt -----------------------------------------------------------------------------

    /**
     * Runs mutt with {@code keys} pushed at start-up, inside a pseudo-terminal from {@code script}
     * (util-linux; mutt has no batch mode for reading mail), with its debug log (-d 3, the IMAP
     * exchange) written to its HOME. Returns that log.
     */
    private String mutt(Path home, String keys) throws Exception {
        String cmd = "mutt -n -F " + home.resolve("muttrc") + " -d 3 -e 'push " + keys + "'";
        Files.deleteIfExists(home.resolve(".muttdebug0"));
        Run r = run(Map.of("HOME", home.toString(), "TERM", "xterm"), "", "script", "-qec", cmd, "/dev/null");
        String log = read(home.resolve(".muttdebug0"));
        assertEquals(0, r.exit(), "mutt:\n" + r.out() + "\n" + log);
        assertTrue(log.contains("> a0000 STARTTLS"), "mutt's debug log (Debian builds mutt +DEBUG):\n" + log);
        return log;
    }

    @Test
    void muttOverStarttlsWithDeflateAndHeaderCacheResyncsWithQresync() throws Exception {
        requireTool("mutt");
        requireTool("script");
        append("INBOX", ("From: b@remote.example\r\nSubject: mutt one\r\nMessage-ID: <mu-1@remote.example>\r\n\r\n1\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        append("INBOX", ("From: b@remote.example\r\nSubject: mutt two\r\nMessage-ID: <mu-2@remote.example>\r\n\r\n2\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        append("INBOX", ("From: b@remote.example\r\nSubject: mutt three\r\nMessage-ID: <mu-3@remote.example>\r\n\r\n3\r\n")
                .getBytes(StandardCharsets.US_ASCII), Flags.Flag.SEEN);
        append("Lists/dev", ("From: l@remote.example\r\nSubject: list post\r\n\r\nL\r\n").getBytes(StandardCharsets.US_ASCII));
        Path home = Files.createDirectories(dir.resolve("mutthome"));
        Files.createDirectories(home.resolve("hcache"));
        Files.copy(cert(), home.resolve("certs"));
        // "localhost": a name in the daemon's certificate, which mutt (GnuTLS) trusts from certificate_file
        Files.writeString(home.resolve("muttrc"), String.join("\n",
                "set imap_user=\"" + ALICE + "\"",
                "set imap_pass=\"" + PASSWORD + "\"",
                "set folder=\"imap://localhost:" + mailroom.port("imap") + "/\"",
                "set spoolfile=\"+INBOX\"",
                "set ssl_starttls=yes", "set ssl_force_tls=yes",
                "set certificate_file=\"" + home.resolve("certs") + "\"",
                "set header_cache=\"" + home.resolve("hcache") + "/\"",
                "set imap_condstore=yes", "set imap_qresync=yes", "set imap_idle=yes", "set imap_deflate=yes",
                "set sort=mailbox-order", "set mark_old=no", "set delete=yes", "set move=no", "set quit=yes",
                "set confirmappend=no", "set confirmcreate=no", "set record=\"\"", "set mbox=\"+INBOX\"", "") );

        // first run: flag every message, delete the first, sync (EXPUNGE), visit the other folder
        String log1 = mutt(home, "<tag-pattern>~A<enter><tag-prefix><set-flag>!<first-entry><delete-message>"
                + "<sync-mailbox><change-folder>=Lists/dev<enter><quit>");
        assertTrue(log1.contains("ENABLE QRESYNC") && log1.contains("SELECT \"INBOX\" (CONDSTORE)"), log1);
        assertTrue(Pattern.compile("> a\\d+ COMPRESS DEFLATE\\R.*< a\\d+ OK").matcher(log1).find(), "RFC 4978:\n" + log1);
        Map<String, Seen> inbox = serverView("INBOX");
        assertEquals(List.of("mutt three", "mutt two"), new ArrayList<>(inbox.keySet()), "mutt one expunged");
        for (Seen m : inbox.values()) assertTrue(m.flags().contains(Flags.Flag.FLAGGED), m.flags().toString());
        assertTrue(inbox.get("mutt three").flags().contains(Flags.Flag.SEEN));

        // behind mutt's back: a new message, a flag taken away, a message expunged
        append("INBOX", ("From: b@remote.example\r\nSubject: mutt four\r\nMessage-ID: <mu-4@remote.example>\r\n\r\n4\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Store s = store();
        Folder f = s.getFolder("INBOX");
        f.open(Folder.READ_WRITE);
        for (Message m : f.getMessages()) {
            if (m.getSubject().equals("mutt two")) m.setFlag(Flags.Flag.FLAGGED, false);
            if (m.getSubject().equals("mutt three")) m.setFlag(Flags.Flag.DELETED, true);
        }
        f.close(true);
        s.close();

        // second run: mutt resumes from its header cache with QRESYNC (RFC 7162 3.2.5/3.2.6), then
        // saves the last message (the new one) to Lists/dev, which deletes and expunges it in INBOX
        String log2 = mutt(home, "<last-entry><save-message>=Lists/dev<enter><sync-mailbox><quit>");
        Matcher resync = Pattern.compile("> a\\d+ UID FETCH 1:\\d+ \\(FLAGS\\) \\(CHANGEDSINCE \\d+ VANISHED\\)").matcher(log2);
        assertTrue(resync.find(), "mutt resynchronised from its cache:\n" + log2);
        String after = log2.substring(resync.end());
        assertTrue(Pattern.compile("< \\* VANISHED \\(EARLIER\\) [\\d:,]*3").matcher(after).find(), "mutt three vanished:\n" + log2);
        assertTrue(Pattern.compile("< \\* 1 FETCH \\(UID 2 FLAGS \\(\\) MODSEQ").matcher(after).find(),
                "mutt two's flags without \\Flagged:\n" + log2);
        assertTrue(Pattern.compile("< a\\d+ OK \\[COPYUID \\d+ 4 \\d+]").matcher(log2).find(), "UID COPY of UID 4:\n" + log2);

        inbox = serverView("INBOX");
        assertEquals(List.of("mutt two"), new ArrayList<>(inbox.keySet()));
        Flags two = inbox.get("mutt two").flags();
        assertFalse(two.contains(Flags.Flag.FLAGGED) || two.contains(Flags.Flag.SEEN) || two.contains(Flags.Flag.DELETED),
                "unflagged behind mutt's back, and mutt wrote nothing stale back: " + two);
        assertEquals(List.of("list post", "mutt four"), new ArrayList<>(serverView("Lists/dev").keySet()));
    }
}
