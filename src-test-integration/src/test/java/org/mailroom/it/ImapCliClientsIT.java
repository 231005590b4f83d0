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
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, "real clients in integration tests", the command-line ones from apt: {@code curl imap://}
 * (RFC 5092 URLs: LIST, FETCH by UID, a custom UID SEARCH, APPEND) and {@code mbsync} (isync)
 * syncing a mailbox both ways with flags against the real daemon. The server side is checked with
 * Angus Mail. {@code .ci/run} installs both tools; where one is missing outside CI its tests are
 * skipped, in CI they fail.
 */
class ImapCliClientsIT {
    private static final String ALICE = "alice@example.test";
    private static final String PASSWORD = "alice-imap-secret";
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    private final List<Store> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // auth.plaintextOnLoopback is true by default: curl and mbsync may log in without TLS on 127.0.0.1
        mailroom = new MailroomProcess(dir.resolve("daemon"));
        mailroom.addUser(ALICE, PASSWORD);
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
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
        Tools.require(tool, "mbsync".equals(tool) ? "isync" : tool);
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

    private MimeMessage message(String subject, String body, Flags.Flag... flags) throws MessagingException {
        MimeMessage m = new MimeMessage(session());
        m.setFrom(new InternetAddress("bob@remote.example"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ALICE));
        m.setSubject(subject);
        m.setText(body);
        for (Flags.Flag f : flags) m.setFlag(f, true);
        m.saveChanges();
        m.setHeader("Message-ID", "<" + subject.replace(' ', '.') + "@remote.example>"); // saveChanges made a new one
        return m;
    }

    /** Subject -> flags of every message in {@code folder} on the server, as a new connection sees them. */
    private Map<String, Flags> serverView(String folder) throws MessagingException {
        Store s = store();
        Folder f = s.getFolder(folder);
        f.open(Folder.READ_ONLY);
        Map<String, Flags> view = new TreeMap<>();
        for (Message m : f.getMessages()) view.put(m.getSubject(), m.getFlags());
        f.close(false);
        s.close();
        return view;
    }

    // ---- curl -----------------------------------------------------------------------------

    private String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--user", ALICE + ":" + PASSWORD));
        cmd.addAll(List.of(args));
        return MailroomProcess.exec(TOOL_TIMEOUT, null, cmd.toArray(String[]::new));
    }

    private String imapUrl(String path) {
        return "imap://127.0.0.1:" + mailroom.port("imap") + "/" + path;
    }

    @Test
    void curlListsAppendsSearchesAndFetches() throws Exception {
        requireTool("curl");
        // RFC 5092 / curl: the URL without a mailbox lists the folders (LIST "" *)
        String list = curl(imapUrl(""));
        for (String[] special : new String[][] {{"Sent", "\\Sent"}, {"Drafts", "\\Drafts"}, {"Trash", "\\Trash"},
                {"Junk", "\\Junk"}, {"Archive", "\\Archive"}}) {
            assertTrue(Pattern.compile("(?m)^\\* LIST \\([^)]*\\" + special[1] + "[^)]*\\) \"/\" \"?" + special[0] + "\"?\r?$")
                    .matcher(list).find(), special[0] + " in\n" + list);
        }
        assertTrue(Pattern.compile("(?m)^\\* LIST \\([^)]*\\) \"/\" \"?INBOX\"?\r?$").matcher(list).find(), list);

        // APPEND the file's bytes (curl -T), then find it again with a custom command
        String text = "From: bob@remote.example\r\nTo: alice@example.test\r\nSubject: uploaded with curl\r\n"
                + "Message-ID: <curl-1@remote.example>\r\n\r\nbody line one\r\n.dot line\r\n";
        Path upload = dir.resolve("upload.eml");
        Files.writeString(upload, text);
        curl(imapUrl("INBOX"), "-T", upload.toString());
        String search = curl(imapUrl("INBOX"), "-X", "UID SEARCH ALL");
        Matcher all = Pattern.compile("(?m)^\\* SEARCH ((?:\\d+ ?)+)\r?$").matcher(search);
        assertTrue(all.find(), search);
        String[] uids = all.group(1).trim().split(" ");
        assertEquals(1, uids.length, search);
        String bySubject = curl(imapUrl("INBOX"), "-X", "UID SEARCH SUBJECT \"uploaded with\"");
        assertTrue(bySubject.matches("(?s)\\* SEARCH " + uids[0] + "\r?\n"), bySubject);
        assertTrue(curl(imapUrl("INBOX"), "-X", "UID SEARCH SUBJECT \"not there\"").matches("(?s)\\* SEARCH\r?\n"));

        // FETCH BODY[] by UID (RFC 5092 "INBOX;UID=n"): the bytes that were uploaded
        Path fetched = dir.resolve("fetched.eml");
        curl(imapUrl("INBOX;UID=" + uids[0]), "-o", fetched.toString());
        assertArrayEquals(text.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(fetched));
        // one section: the header only
        String header = curl(imapUrl("INBOX;UID=" + uids[0] + ";SECTION=HEADER"));
        assertTrue(header.startsWith("From: bob@remote.example\r\n") && header.endsWith("\r\n\r\n")
                && !header.contains("body line one"), header);

        // curl APPENDs with \Seen; over IMAPS with the daemon's own certificate the flag shows
        Path cert = mailroom.dataDir.resolve("tls").resolve("selfsigned-cert.pem");
        assertTrue(Files.exists(cert), "the self-signed certificate made on first start");
        String flags = curl("--cacert", cert.toString(), "--resolve", "mx.example.test:" + mailroom.port("imaps") + ":127.0.0.1",
                "imaps://mx.example.test:" + mailroom.port("imaps") + "/INBOX", "-X", "UID FETCH " + uids[0] + " FLAGS");
        assertTrue(flags.matches("(?s)\\* 1 FETCH \\((?=.*UID " + uids[0] + ")(?=.*FLAGS \\([^)]*\\\\Seen).*\\)\r?\n"), flags);
        assertTrue(serverView("INBOX").get("uploaded with curl").contains(Flags.Flag.SEEN));
    }

    @Test
    void curlFetchesWhatSmtpDelivered() throws Exception {
        requireTool("curl");
        Path mail = dir.resolve("mail.eml");
        Files.writeString(mail, "From: bob@remote.example\r\nTo: alice@example.test\r\nSubject: over smtp\r\n\r\nhello\r\n");
        MailroomProcess.exec(TOOL_TIMEOUT, null, "curl", "-sS", "--max-time", "60",
                "smtp://127.0.0.1:" + mailroom.port("smtp") + "/client.example.net",
                "--mail-from", "bob@remote.example", "--mail-rcpt", ALICE, "-T", mail.toString());
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                return curl(imapUrl("INBOX"), "-X", "UID SEARCH SUBJECT \"over smtp\"").matches("(?s)\\* SEARCH \\d+\r?\n");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "the delivered message in INBOX");
        String got = curl(imapUrl("INBOX;UID=1"));
        assertTrue(got.startsWith("Return-Path: <bob@remote.example>\r\n"), got);
        assertTrue(got.endsWith("Subject: over smtp\r\n\r\nhello\r\n"), got);
    }

    // ---- mbsync ---------------------------------------------------------------------------

    /** How mbsync reaches the daemon. */
    private enum Transport { IMAPS, STARTTLS, PLAIN }

    /** A generated mbsyncrc: one channel "mailroom" between the daemon and a local Maildir++ tree. */
    private Path mbsyncrc(Path local, Transport transport) throws IOException {
        Files.createDirectories(local);
        Path cert = mailroom.dataDir.resolve("tls").resolve("selfsigned-cert.pem");
        StringBuilder rc = new StringBuilder();
        rc.append("IMAPAccount mailroom\n");
        rc.append("Host 127.0.0.1\n");
        switch (transport) {
            // RFC 8314 implicit TLS; isync trusts a certificate found in CertificateFile as it is
            case IMAPS -> rc.append("Port ").append(mailroom.port("imaps")).append("\nSSLType IMAPS\n")
                    .append("CertificateFile ").append(cert).append('\n');
            // RFC 9051 6.2.1
            case STARTTLS -> rc.append("Port ").append(mailroom.port("imap")).append("\nSSLType STARTTLS\n")
                    .append("CertificateFile ").append(cert).append('\n');
            // the daemon allows LOGIN in the clear from loopback (auth.plaintextOnLoopback)
            case PLAIN -> rc.append("Port ").append(mailroom.port("imap")).append("\nSSLType None\n");
        }
        rc.append("User ").append(ALICE).append('\n');
        rc.append("Pass ").append(PASSWORD).append('\n');
        rc.append("\nIMAPStore remote\nAccount mailroom\n");
        rc.append("\nMaildirStore local\n");
        rc.append("Path ").append(local).append("/\n");
        rc.append("Inbox ").append(local.resolve("INBOX")).append('\n');
        rc.append("SubFolders Verbatim\n");
        rc.append("\nChannel mailroom\nFar :remote:\nNear :local:\nPatterns *\nCreate Both\nExpunge Both\nSyncState *\n");
        Path file = dir.resolve("mbsyncrc-" + transport);
        Files.writeString(file, rc.toString());
        return file;
    }

    private static String mbsync(Path rc) throws Exception {
        return MailroomProcess.exec(TOOL_TIMEOUT, null, "mbsync", "-c", rc.toString(), "-a");
    }

    /** The Maildir flags (after ":2,") of each message file in a local folder, by subject. */
    private static Map<String, String> localView(Path folder) throws IOException {
        Map<String, String> view = new TreeMap<>();
        for (String sub : new String[] {"cur", "new"}) {
            Path d = folder.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    int info = name.indexOf(":2,");
                    view.put(subject(f), info < 0 ? "" : name.substring(info + 3));
                }
            }
        }
        return view;
    }

    private static String subject(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.isEmpty()) break;
            if (line.regionMatches(true, 0, "Subject: ", 0, 9)) return line.substring(9).strip();
        }
        return "(no subject: " + file.getFileName() + ")";
    }

    /** The local file of the message with {@code subject} in {@code folder}/cur or /new. */
    private static Path localFile(Path folder, String subject) throws IOException {
        for (String sub : new String[] {"cur", "new"}) {
            try (Stream<Path> files = Files.list(folder.resolve(sub))) {
                for (Path f : files.toList()) {
                    if (subject(f).equals(subject)) return f;
                }
            }
        }
        throw new AssertionError("no local message '" + subject + "' in " + folder);
    }

    private void syncBothWaysWithFlags(Transport transport) throws Exception {
        requireTool("mbsync");
        // on the server: three messages in INBOX (one \Seen, one \Flagged) and one in a folder of its own
        Store s = store();
        IMAPFolder inbox = (IMAPFolder) s.getFolder("INBOX");
        inbox.appendMessages(new Message[] {
                message("unread one", "first\n"),
                message("read one", "second\n", Flags.Flag.SEEN),
                message("flagged one", "third\n", Flags.Flag.FLAGGED),
        });
        Folder lists = s.getFolder("Lists");
        assertTrue(lists.create(Folder.HOLDS_MESSAGES));
        lists.appendMessages(new Message[] {message("list post", "to the list\n")});
        s.close();

        Path local = dir.resolve("Mail");
        Path rc = mbsyncrc(local, transport);
        mbsync(rc);
        if (transport != Transport.IMAPS) { // (the checks here use imaps themselves)
            assertTrue(Pattern.compile("imap: login user=<" + ALICE + ">, client=\\[127\\.0\\.0\\.1], mechanism=[-\\w]+, tls="
                    + (transport == Transport.STARTTLS ? "yes" : "no") + ", result=ok").matcher(mailroom.log()).find(),
                    mailroom.log());
        }
        // server -> local: every message, with its flags in the file name (F flagged, S seen)
        assertEquals(Map.of("unread one", "", "read one", "S", "flagged one", "F"), localView(local.resolve("INBOX")));
        assertEquals(Map.of("list post", ""), localView(local.resolve("Lists")));
        for (String special : new String[] {"Sent", "Drafts", "Trash", "Junk", "Archive"}) {
            assertTrue(Files.isDirectory(local.resolve(special).resolve("cur")), special + " was created locally");
        }
        String fetched = Files.readString(localFile(local.resolve("INBOX"), "flagged one"));
        // isync keeps Maildir files with LF line ends
        assertTrue(fetched.contains("Message-ID: <flagged.one@remote.example>\n") && fetched.endsWith("\nthird\n"), fetched);

        // local changes: mark "unread one" read and "read one" flagged (Maildir renames), write a new
        // message, make a folder of our own
        Path unread = localFile(local.resolve("INBOX"), "unread one");
        Files.move(unread, unread.resolveSibling(unread.getFileName().toString().replaceFirst(":2,$", ":2,S")));
        Path read = localFile(local.resolve("INBOX"), "read one");
        Files.move(read, read.resolveSibling(read.getFileName().toString().replaceFirst(":2,S$", ":2,FS")));
        Files.writeString(local.resolve("INBOX").resolve("new").resolve("1795500000.M1P1.client"),
                "From: alice@example.test\r\nTo: bob@remote.example\r\nSubject: written locally\r\n"
                        + "Message-ID: <local-1@example.test>\r\n\r\nfrom the laptop\r\n");
        Path mine = local.resolve("Projects");
        for (String sub : new String[] {"cur", "new", "tmp"}) Files.createDirectories(mine.resolve(sub));
        Files.writeString(mine.resolve("cur").resolve("1795500001.M2P1.client:2,S"),
                "From: alice@example.test\r\nSubject: project plan\r\nMessage-ID: <local-2@example.test>\r\n\r\nplan\r\n");
        mbsync(rc);

        // local -> server: the flags, the new message, the new folder
        Map<String, Flags> server = serverView("INBOX");
        assertEquals(List.of("flagged one", "read one", "unread one", "written locally"), new ArrayList<>(server.keySet()));
        assertTrue(server.get("unread one").contains(Flags.Flag.SEEN), "S added locally: " + server.get("unread one"));
        assertTrue(server.get("read one").contains(Flags.Flag.FLAGGED), "F added locally: " + server.get("read one"));
        assertTrue(server.get("read one").contains(Flags.Flag.SEEN));
        assertTrue(server.get("flagged one").contains(Flags.Flag.FLAGGED));
        assertFalse(server.get("flagged one").contains(Flags.Flag.SEEN));
        assertFalse(server.get("written locally").contains(Flags.Flag.SEEN), "from new/: unread");
        assertEquals(List.of("project plan"), new ArrayList<>(serverView("Projects").keySet()));
        assertTrue(serverView("Projects").get("project plan").contains(Flags.Flag.SEEN));

        // a deletion on the server (STORE \Deleted + EXPUNGE) and a flag change there
        Store s2 = store();
        Folder f = s2.getFolder("INBOX");
        f.open(Folder.READ_WRITE);
        for (Message m : f.getMessages()) {
            if (m.getSubject().equals("flagged one")) m.setFlag(Flags.Flag.DELETED, true);
            if (m.getSubject().equals("written locally")) m.setFlag(Flags.Flag.ANSWERED, true);
        }
        f.close(true); // CLOSE expunges
        s2.close();
        // and one on the local side: the file goes
        Files.delete(localFile(local.resolve("Lists"), "list post"));
        mbsync(rc);

        Map<String, String> after = localView(local.resolve("INBOX"));
        assertEquals(List.of("read one", "unread one", "written locally"), new ArrayList<>(after.keySet()),
                "the server's expunge reached the Maildir");
        assertEquals("R", after.get("written locally"), "\\Answered from the server: " + after);
        assertEquals(Map.of(), serverView("Lists"), "the local deletion reached the server");
        assertEquals(Map.of(), localView(local.resolve("Lists")));

        // a fourth run with nothing changed changes nothing
        mbsync(rc);
        assertEquals(after, localView(local.resolve("INBOX")));
        assertEquals(3, serverView("INBOX").size());
    }

    @Test
    void mbsyncOverImapsSyncsBothWaysWithFlags() throws Exception {
        syncBothWaysWithFlags(Transport.IMAPS);
    }

    @Test
    void mbsyncOverStarttlsSyncsBothWaysWithFlags() throws Exception {
        syncBothWaysWithFlags(Transport.STARTTLS);
    }

    @Test
    void mbsyncOverPlainImapOnLoopbackSyncsBothWaysWithFlags() throws Exception {
        syncBothWaysWithFlags(Transport.PLAIN);
    }
}
