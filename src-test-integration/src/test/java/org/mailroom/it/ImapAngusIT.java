package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.activation.DataHandler;
import jakarta.mail.BodyPart;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MailEvent;
import jakarta.mail.event.MessageChangedEvent;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.BodyTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.SubjectTerm;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.MessageVanishedEvent;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, "real clients in integration tests": Jakarta/Angus Mail's IMAPStore drives the real
 * daemon the way a desktop client does, over imaps (RFC 8314) and over imap with STARTTLS (RFC 9051
 * 6.2.1). Folders with their SPECIAL-USE attributes (RFC 6154), CREATE/RENAME/DELETE, APPEND with
 * flags and UIDPLUS (RFC 4315), SEARCH, flags seen from a second connection, COPY and MOVE (RFC
 * 6851), EXPUNGE, ENVELOPE/BODYSTRUCTURE and the bytes of an attachment, and IDLE (RFC 2177) woken
 * by a message delivered over SMTP.
 */
class ImapAngusIT {
    private static final String ALICE = "alice@example.test";
    private static final String PASSWORD = "alice-imap-secret";

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    private final List<Store> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir);
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

    private Session session(boolean implicitTls) {
        return session(implicitTls, false);
    }

    /** @param compress ask for COMPRESS=DEFLATE (RFC 4978) after login */
    private Session session(boolean implicitTls, boolean compress) {
        String proto = implicitTls ? "imaps" : "imap";
        Properties p = new Properties();
        if (compress) p.put("mail." + proto + ".compress.enable", "true");
        p.put("mail." + proto + ".host", "127.0.0.1");
        p.put("mail." + proto + ".port", String.valueOf(mailroom.port(proto)));
        p.put("mail." + proto + ".ssl.trust", "*"); // the daemon's self-signed certificate
        p.put("mail." + proto + ".ssl.checkserveridentity", "false");
        p.put("mail." + proto + ".timeout", "30000");
        p.put("mail." + proto + ".connectiontimeout", "20000");
        if (implicitTls) {
            p.put("mail.imaps.ssl.enable", "true");
        } else {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(mailroom.port("smtp")));
        p.put("mail.smtp.localhost", "client.example.net");
        p.put("mail.smtp.timeout", "20000");
        return Session.getInstance(p);
    }

    private IMAPStore connect(boolean implicitTls) throws MessagingException {
        return connect(implicitTls, false);
    }

    private IMAPStore connect(boolean implicitTls, boolean compress) throws MessagingException {
        Session session = session(implicitTls, compress);
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        if (compress) {
            session.setDebug(true);
            session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
        }
        Store s = session.getStore(implicitTls ? "imaps" : "imap");
        s.connect(ALICE, PASSWORD);
        open.add(s);
        if (compress) {
            // RFC 4978 3: the client asked and the server agreed, so both sides now deflate
            String t = trace.toString(StandardCharsets.UTF_8);
            assertTrue(Pattern.compile("(?m)^(\\w+) COMPRESS DEFLATE\r?\n(?s:.*)^\\1 OK ").matcher(t).find(), t);
            session.setDebug(false);
        }
        return (IMAPStore) s;
    }

    private static MimeMessage text(Session session, String subject, String body) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("bob@remote.example", false));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(ALICE));
        m.setSubject(subject, "UTF-8");
        m.setText(body, "UTF-8");
        m.saveChanges();
        return m;
    }

    private static Set<String> names(Message[] ms) throws MessagingException {
        Set<String> s = new TreeSet<>();
        for (Message m : ms) s.add(m.getSubject());
        return s;
    }

    /**
     * {@code UID SEARCH <key> <text>} with the text as a UTF-8 literal and no CHARSET (RFC 9051
     * 6.4.4; RFC 6855 3 forbids CHARSET once UTF8=ACCEPT is enabled, as Angus does), over the
     * folder's own connection.
     */
    private static Set<Long> uidSearch(IMAPFolder folder, String key, String text) throws MessagingException {
        Object found = folder.doCommand(p -> {
            Argument a = new Argument();
            a.writeAtom(key);
            a.writeBytes(text.getBytes(StandardCharsets.UTF_8));
            Response[] rs = p.command("UID SEARCH", a);
            Set<Long> uids = new TreeSet<>();
            for (Response r : rs) {
                if (r instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                    for (long n; (n = ir.readLong()) > 0; ) uids.add(n);
                }
            }
            p.notifyResponseHandlers(Arrays.copyOf(rs, rs.length - 1));
            p.handleResult(rs[rs.length - 1]);
            return uids;
        });
        @SuppressWarnings("unchecked")
        Set<Long> uids = (Set<Long>) found;
        return uids;
    }

    // ---- folders --------------------------------------------------------------------------

    private void folders(boolean implicitTls) throws Exception {
        IMAPStore store = connect(implicitTls);
        Map<String, Set<String>> attrs = new HashMap<>();
        for (Folder f : store.getDefaultFolder().list("*")) {
            attrs.put(f.getFullName(), new TreeSet<>(Arrays.asList(((IMAPFolder) f).getAttributes())));
        }
        // DESIGN.md 3 and RFC 6154 2: the five special folders exist from the first login
        assertTrue(attrs.containsKey("INBOX"), attrs.toString());
        for (String[] special : new String[][] {{"Sent", "\\Sent"}, {"Drafts", "\\Drafts"}, {"Trash", "\\Trash"},
                {"Junk", "\\Junk"}, {"Archive", "\\Archive"}}) {
            Set<String> a = attrs.get(special[0]);
            assertNotNull(a, special[0] + " in " + attrs);
            assertTrue(a.contains(special[1]), special[0] + " " + a);
        }
        assertEquals('/', store.getDefaultFolder().getSeparator());

        Folder projects = store.getFolder("Projects");
        assertFalse(projects.exists());
        assertTrue(projects.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS));
        Folder child = store.getFolder("Projects/Mailroom");
        assertTrue(child.create(Folder.HOLDS_MESSAGES));
        child.appendMessages(new Message[] {text(session(implicitTls), "in the child", "child body\r\n")});
        assertEquals(1, child.getMessageCount());
        assertTrue(Arrays.asList(((IMAPFolder) store.getFolder("Projects")).getAttributes()).contains("\\HasChildren"));

        // RFC 9051 6.3.6: RENAME takes the children along
        Folder work = store.getFolder("Work");
        assertTrue(projects.renameTo(work));
        assertFalse(store.getFolder("Projects").exists());
        assertTrue(store.getFolder("Work").exists());
        Folder movedChild = store.getFolder("Work/Mailroom");
        assertTrue(movedChild.exists());
        assertEquals(1, movedChild.getMessageCount(), "the child's message came along");

        assertTrue(movedChild.delete(false));
        assertTrue(store.getFolder("Work").delete(false));

        // a non-ASCII name: Angus has ENABLEd UTF8=ACCEPT and sends it as UTF-8 (RFC 6855 3); a
        // client without it sees modified UTF-7 (RFC 9051 5.1.3)
        Folder drafts = store.getFolder("Entwürfe");
        assertTrue(drafts.create(Folder.HOLDS_MESSAGES));
        assertTrue(store.getFolder("Entwürfe").exists());
        try (Raw raw = new Raw(mailroom.port("imap"))) {
            assertTrue(raw.line().startsWith("* OK"));
            raw.send("a LOGIN " + ALICE + " " + PASSWORD + "\r\n");
            assertTrue(raw.line().startsWith("a OK"));
            raw.send("b LIST \"\" \"Entw*\"\r\n");
            assertEquals("* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe", raw.line());
            assertTrue(raw.line().startsWith("b OK"));
        }
        assertTrue(drafts.delete(false));
        Set<String> left = new TreeSet<>();
        for (Folder f : store.getDefaultFolder().list("*")) left.add(f.getFullName());
        assertEquals(Set.of("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive"), left);
        store.close();
    }

    @Test
    void foldersWithSpecialUseCreateRenameDeleteOverImaps() throws Exception {
        folders(true);
    }

    @Test
    void foldersWithSpecialUseCreateRenameDeleteOverStarttls() throws Exception {
        folders(false);
    }

    // ---- append, search, flags ------------------------------------------------------------

    @Test
    void appendWithFlagsSearchAndFlagsSeenFromASecondConnection() throws Exception {
        IMAPStore store = connect(true);
        Session session = session(true);
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        MimeMessage plain = text(session, "quarterly report", "numbers attached soon\r\n");
        plain.setFlag(Flags.Flag.SEEN, true);
        MimeMessage flagged = text(session, "urgent: lunch", "where do we go?\r\n");
        flagged.setFlag(Flags.Flag.FLAGGED, true);
        // non-ASCII text: MimeMessage.setText picks quoted-printable for it; "price=42" is on the
        // wire only as "price=3D42"
        MimeMessage utf8 = text(session, "Grüße aus Zürich",
                "Schöne Grüße, wir treffen uns übermorgen am Bahnhof. The ticket price=42 EUR.\r\n");
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        utf8.writeTo(wire);
        assertEquals("quoted-printable", utf8.getEncoding());
        assertFalse(wire.toString(StandardCharsets.US_ASCII).contains("price=42"), wire.toString(StandardCharsets.US_ASCII));
        AppendUID[] uids = inbox.appendUIDMessages(new Message[] {plain, flagged, utf8});
        assertEquals(3, uids.length);
        assertTrue(uids[0].uid > 0 && uids[1].uid == uids[0].uid + 1 && uids[2].uid == uids[1].uid + 1,
                "RFC 4315 3: APPENDUID gives ascending UIDs " + Arrays.toString(uids));

        inbox.open(Folder.READ_WRITE);
        assertEquals(3, inbox.getMessageCount());
        assertEquals(uids[0].uidvalidity, inbox.getUIDValidity());
        assertEquals(Set.of("quarterly report"), names(inbox.search(new SubjectTerm("QUARTERLY"))));
        assertEquals(Set.of("urgent: lunch"), names(inbox.search(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true))));
        assertEquals(Set.of("urgent: lunch", "Grüße aus Zürich"),
                names(inbox.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false))));
        // RFC 9051 6.4.4: BODY searches the decoded text (quoted-printable), case-insensitively
        assertEquals(Set.of("Grüße aus Zürich"), names(inbox.search(new BodyTerm("PRICE=42 eur"))));
        // XXX Non-ASCII search text does not reach the server intact through Angus's SearchTerm API:
        // after ENABLE UTF8=ACCEPT (which IMAPStore always sends when offered) Angus 2.0.3 writes it
        // as ISO-8859-1 octets (angus-mail#104, see nonAsciiSearchTermThroughAngusApi); so the server
        // side is checked here with the text as a UTF-8 literal
        assertEquals(Set.of(uids[2].uid), uidSearch(inbox, "BODY", "ÜBERMORGEN am Bahnhof"));
        assertEquals(Set.of(uids[2].uid), uidSearch(inbox, "SUBJECT", "zürich"));
        assertEquals(Set.of(), uidSearch(inbox, "BODY", "übermorgen am Flughafen"));
        assertEquals(0, inbox.search(new BodyTerm("nowhere in any message")).length);

        Message lunch = inbox.getMessageByUID(uids[1].uid);
        lunch.setFlag(Flags.Flag.SEEN, true);
        lunch.setFlag(Flags.Flag.ANSWERED, true);
        lunch.setFlag(Flags.Flag.FLAGGED, false);
        Flags keyword = new Flags("$Label1");
        inbox.getMessageByUID(uids[2].uid).setFlags(keyword, true);

        // a second connection (over STARTTLS) sees the flags as they are now on the server
        IMAPStore other = connect(false);
        IMAPFolder again = (IMAPFolder) other.getFolder("INBOX");
        again.open(Folder.READ_ONLY);
        Message lunch2 = again.getMessageByUID(uids[1].uid);
        assertTrue(lunch2.isSet(Flags.Flag.SEEN));
        assertTrue(lunch2.isSet(Flags.Flag.ANSWERED));
        assertFalse(lunch2.isSet(Flags.Flag.FLAGGED));
        assertTrue(again.getMessageByUID(uids[2].uid).getFlags().contains("$Label1"));
        assertTrue(again.getMessageByUID(uids[0].uid).isSet(Flags.Flag.SEEN), "the flag given with APPEND");
        assertEquals(Set.of("quarterly report", "urgent: lunch"),
                names(again.search(new FlagTerm(new Flags(Flags.Flag.SEEN), true))));

        // and the first connection learns a change made by the second one (RFC 9051 7.5.2 FETCH)
        again.close(false);
        again.open(Folder.READ_WRITE);
        again.getMessageByUID(uids[0].uid).setFlag(Flags.Flag.DRAFT, true);
        Message report = inbox.getMessageByUID(uids[0].uid);
        Await.until(Duration.ofSeconds(30), () -> {
            try {
                inbox.getMessageCount(); // NOOP: collects the untagged FETCH
                return report.isSet(Flags.Flag.DRAFT);
            } catch (MessagingException e) {
                throw new AssertionError(e);
            }
        }, "the other connection's \\Draft to show up");
        inbox.close(false);
        again.close(false);
    }

    // ---- copy, move, expunge ---------------------------------------------------------------

    @Test
    void copyMoveAndExpungeWithUidPlus() throws Exception {
        IMAPStore store = connect(false);
        Session session = session(false);
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        List<Message> ms = new ArrayList<>();
        for (int i = 1; i <= 5; i++) ms.add(text(session, "message " + i, "body " + i + "\r\n"));
        inbox.appendMessages(ms.toArray(Message[]::new));
        IMAPFolder archive = (IMAPFolder) store.getFolder("Archive");
        IMAPFolder trash = (IMAPFolder) store.getFolder("Trash");
        archive.open(Folder.READ_ONLY);
        long archiveValidity = archive.getUIDValidity();
        archive.close(false);

        inbox.open(Folder.READ_WRITE);
        assertEquals(5, inbox.getMessageCount());
        Message[] firstTwo = inbox.getMessages(1, 2);
        // RFC 4315 3: COPYUID names the source and the new UIDs
        AppendUID[] copied = inbox.copyUIDMessages(firstTwo, archive);
        assertEquals(2, copied.length);
        for (AppendUID u : copied) {
            assertNotNull(u, "COPYUID for every message");
            assertEquals(archiveValidity, u.uidvalidity);
        }
        assertEquals(5, inbox.getMessageCount(), "COPY leaves the source alone");

        // RFC 6851 3.3: MOVE, with COPYUID in the untagged OK before the EXPUNGEs
        long fifthUid = inbox.getUID(inbox.getMessage(5));
        Message third = inbox.getMessage(3);
        long thirdUid = inbox.getUID(third);
        AppendUID[] moved = inbox.moveUIDMessages(new Message[] {third}, trash);
        assertEquals(1, moved.length);
        assertNotNull(moved[0], "COPYUID for MOVE");
        assertTrue(third.isExpunged(), "the EXPUNGE came with the MOVE");
        inbox.moveMessages(new Message[] {inbox.getMessageByUID(fifthUid)}, trash); // "message 5"
        // Jakarta Mail counts expunged messages until the folder is reopened or expunged by the client
        inbox.close(false);
        inbox.open(Folder.READ_WRITE);
        assertEquals(Set.of("message 1", "message 2", "message 4"), names(inbox.getMessages()));
        assertEquals(null, inbox.getMessageByUID(thirdUid));
        assertEquals(null, inbox.getMessageByUID(fifthUid));

        // EXPUNGE: only the \Deleted message goes
        inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
        Message[] gone = inbox.expunge();
        assertEquals(1, gone.length);
        assertEquals(2, inbox.getMessageCount());
        assertEquals(Set.of("message 2", "message 4"), names(inbox.getMessages()));
        inbox.close(false);

        archive.open(Folder.READ_ONLY);
        assertEquals(Set.of("message 1", "message 2"), names(archive.getMessages()));
        assertEquals("message 1", archive.getMessageByUID(copied[0].uid).getSubject());
        assertEquals("message 2", archive.getMessageByUID(copied[1].uid).getSubject());
        archive.close(false);
        trash.open(Folder.READ_ONLY);
        assertEquals(Set.of("message 3", "message 5"), names(trash.getMessages()));
        assertEquals("message 3", trash.getMessageByUID(moved[0].uid).getSubject());
        trash.close(false);
    }

    // ---- CONDSTORE, QRESYNC ------------------------------------------------------------------

    @Test
    void condstoreAndQresyncTellAReconnectingClientWhatChanged() throws Exception {
        IMAPStore store = connect(true);
        Session session = session(true);
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        AppendUID[] uids = inbox.appendUIDMessages(new Message[] {text(session, "alpha", "a\r\n"),
                text(session, "beta", "b\r\n"), text(session, "gamma", "c\r\n")});
        // RFC 7162 3.1: SELECT (CONDSTORE) enables it and brings HIGHESTMODSEQ
        inbox.open(Folder.READ_WRITE, ResyncData.CONDSTORE);
        long uidValidity = inbox.getUIDValidity();
        long modSeq = inbox.getHighestModSeq();
        assertTrue(modSeq > 0, "HIGHESTMODSEQ " + modSeq);
        inbox.close(false);

        // while the first client is away, another one changes a flag and expunges a message
        IMAPStore other = connect(false);
        IMAPFolder elsewhere = (IMAPFolder) other.getFolder("INBOX");
        elsewhere.open(Folder.READ_WRITE);
        elsewhere.getMessageByUID(uids[0].uid).setFlag(Flags.Flag.SEEN, true);
        elsewhere.getMessageByUID(uids[1].uid).setFlag(Flags.Flag.DELETED, true);
        elsewhere.close(true);

        // RFC 7162 3.2.5: SELECT (QRESYNC (uidvalidity modseq)) reports the flag change as FETCH and
        // the expunge as VANISHED (EARLIER)
        List<MailEvent> events = inbox.open(Folder.READ_WRITE, new ResyncData(uidValidity, modSeq));
        Set<Long> vanished = new TreeSet<>();
        Set<Long> changed = new TreeSet<>();
        for (MailEvent e : events) {
            if (e instanceof MessageVanishedEvent v) {
                for (long u : v.getUIDs()) vanished.add(u);
            } else if (e instanceof MessageChangedEvent c) {
                changed.add(inbox.getUID(c.getMessage()));
                assertTrue(c.getMessage().isSet(Flags.Flag.SEEN));
            }
        }
        assertTrue(vanished.contains(uids[1].uid), "VANISHED " + vanished);
        assertFalse(vanished.contains(uids[0].uid) || vanished.contains(uids[2].uid), "VANISHED " + vanished);
        assertEquals(Set.of(uids[0].uid), changed);
        assertTrue(inbox.getHighestModSeq() > modSeq);
        // RFC 7162 3.1.4: FETCH (CHANGEDSINCE) finds the changed message only
        Message[] since = inbox.getMessagesByUIDChangedSince(1, UIDFolder.MAXUID, modSeq);
        assertEquals(1, since.length);
        assertEquals("alpha", since[0].getSubject());
        assertEquals(2, inbox.getMessageCount());
        inbox.close(false);
    }

    // ---- ENVELOPE, BODYSTRUCTURE, attachment -----------------------------------------------

    @Test
    void multipartWithAttachmentEnvelopeBodyStructureAndExactBytes() throws Exception {
        Session session = session(true);
        byte[] attachment = new byte[150_000];
        new Random(6).nextBytes(attachment);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("Bob Example <bob@remote.example>"));
        m.setRecipients(Message.RecipientType.TO, InternetAddress.parse("Alice <alice@example.test>"));
        m.setRecipients(Message.RecipientType.CC, InternetAddress.parse("carol@example.test, dave@remote.example"));
        m.setSubject("the figures, with attachment");
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText("Dear Alice,\r\nthe figures are attached.\r\n", "UTF-8");
        MimeBodyPart filePart = new MimeBodyPart();
        filePart.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
        filePart.setFileName("figures.bin");
        filePart.setDisposition(Part.ATTACHMENT);
        m.setContent(new MimeMultipart("mixed", textPart, filePart));
        m.saveChanges();

        IMAPStore store = connect(true);
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        inbox.appendMessages(new Message[] {m});

        // a fresh connection, nothing cached on the client side; compressed (RFC 4978), so the
        // 200 KB of the attachment go through the server's deflater
        IMAPStore reader = connect(false, true);
        IMAPFolder folder = (IMAPFolder) reader.getFolder("INBOX");
        folder.open(Folder.READ_ONLY);
        Message[] all = folder.getMessages();
        assertEquals(1, all.length);
        FetchProfile fp = new FetchProfile();
        fp.add(FetchProfile.Item.ENVELOPE);
        fp.add(FetchProfile.Item.CONTENT_INFO); // BODYSTRUCTURE
        fp.add(UIDFolder.FetchProfileItem.UID);
        folder.fetch(all, fp);
        IMAPMessage msg = (IMAPMessage) all[0];
        assertEquals("the figures, with attachment", msg.getSubject());
        InternetAddress from = (InternetAddress) msg.getFrom()[0];
        assertEquals("bob@remote.example", from.getAddress());
        assertEquals("Bob Example", from.getPersonal());
        assertEquals(2, msg.getRecipients(Message.RecipientType.CC).length);
        assertEquals("alice@example.test", ((InternetAddress) msg.getRecipients(Message.RecipientType.TO)[0]).getAddress());
        assertNotNull(msg.getSentDate());
        assertEquals(m.getMessageID(), msg.getMessageID());
        assertTrue(msg.isMimeType("multipart/mixed"), msg.getContentType());

        Multipart mp = (Multipart) msg.getContent();
        assertEquals(2, mp.getCount());
        BodyPart first = mp.getBodyPart(0);
        assertTrue(first.isMimeType("text/plain"), first.getContentType());
        assertEquals("Dear Alice,\r\nthe figures are attached.\r\n", first.getContent());
        BodyPart second = mp.getBodyPart(1);
        assertEquals("figures.bin", second.getFileName());
        assertEquals(Part.ATTACHMENT, second.getDisposition());
        assertTrue(second.isMimeType("application/octet-stream"), second.getContentType());
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        try (InputStream in = second.getInputStream()) {
            in.transferTo(back);
        }
        assertArrayEquals(attachment, back.toByteArray(), "the attachment's bytes, fetched as BODY[2] and decoded");
        assertTrue(second.getSize() > attachment.length, "size of the base64 part from BODYSTRUCTURE: " + second.getSize());
        assertFalse(msg.isSet(Flags.Flag.SEEN), "read-only folder: BODY.PEEK, nothing set");
        folder.close(false);
    }

    // ---- IDLE -------------------------------------------------------------------------------

    @Test
    void idleIsWokenByMessageDeliveredOverSmtp() throws Exception {
        idleWokenBySmtp(connect(true));
    }

    /** The same through COMPRESS=DEFLATE: the "+" and the EXISTS must be flushed through the deflater. */
    @Test
    void idleIsWokenOverCompressedStarttlsConnection() throws Exception {
        idleWokenBySmtp(connect(false, true));
    }

    private void idleWokenBySmtp(IMAPStore store) throws Exception {
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
        assertEquals(0, inbox.getMessageCount());
        List<String> arrived = new CopyOnWriteArrayList<>();
        inbox.addMessageCountListener(new MessageCountAdapter() {
            @Override
            public void messagesAdded(MessageCountEvent e) {
                for (Message m : e.getMessages()) {
                    try {
                        arrived.add(m.getSubject());
                    } catch (MessagingException ex) {
                        arrived.add("(unreadable: " + ex + ")");
                    }
                }
            }
        });
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Thread idler = new Thread(() -> {
            try {
                while (!stop.get() && arrived.isEmpty()) inbox.idle(true); // returns after each wake-up
            } catch (Throwable t) {
                if (!stop.get()) failures.add(t);
            }
        }, "idler");
        idler.start();
        // deliver only once the IDLE is under way (the server's "+" has been read), so that the
        // message has to wake it rather than be reported by a later command
        Await.until(Duration.ofSeconds(30), () -> inIdle(idler) || !failures.isEmpty(), "the IDLE to start");

        Transport.send(text(session(true), "wake up", "you have mail\r\n"));
        Await.until(Duration.ofSeconds(60), () -> !arrived.isEmpty() || !failures.isEmpty(),
                "the IDLE connection to hear of the delivered message");
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(List.of("wake up"), arrived);
        stop.set(true);
        // any use of the folder from another thread ends the IDLE (DONE); repeated, because the
        // idler may have been about to start a new IDLE when stop was set
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                inbox.doCommand(p -> {
                    p.noop();
                    return null;
                });
                idler.join(500);
                return !idler.isAlive();
            } catch (MessagingException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }, "idle() to return after DONE");
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(1, inbox.getMessageCount());
        inbox.close(false);
    }

    /**
     * Angus 2.0.3 ENABLEs UTF8=ACCEPT and then writes SEARCH text with {@code ASCIIUtility.getBytes},
     * i.e. ISO-8859-1 octets (angus-mail#104, jakartaee/mail-api#474). The daemon answers such text
     * NO [BADCHARSET], and Angus falls back to searching on the client side, so the results are
     * right (slowly) instead of silently empty.
     */
    @Test
    void nonAsciiSearchTermThroughAngusApi() throws Exception {
        IMAPStore store = connect(true);
        IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
        inbox.appendMessages(new Message[] {text(session(true), "Grüße aus Zürich", "wir treffen uns übermorgen\r\n"),
                text(session(true), "Grüße aus Bern", "bis morgen\r\n")});
        inbox.open(Folder.READ_ONLY);
        assertEquals(Set.of("Grüße aus Zürich"), names(inbox.search(new BodyTerm("ÜBERMORGEN"))));
        assertEquals(Set.of("Grüße aus Zürich"), names(inbox.search(new SubjectTerm("zürich"))));
        assertEquals(Set.of("Grüße aus Zürich", "Grüße aus Bern"), names(inbox.search(new SubjectTerm("grüße"))));
    }

    /** The idler thread waits for the server inside IDLE (Angus reads the responses in readIdleResponse). */
    private static boolean inIdle(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getMethodName().equals("readIdleResponse")) return true;
        }
        return false;
    }
}
