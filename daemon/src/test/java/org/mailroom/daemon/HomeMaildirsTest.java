package org.mailroom.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.unix.Passwd;

/**
 * local.systemMailbox=maildir: a Unix user's mail in ~/Maildir/new, the user's, and never
 * through a link or a directory someone else owns. Giving files away needs root (or CAP_CHOWN):
 * .ci/run runs the tests as root; elsewhere these tests are skipped.
 */
class HomeMaildirsTest {
    static final int UID = 4242, GID = 4343;
    @TempDir
    Path dir;
    Path home;
    List<String> others = new ArrayList<>();
    HomeMaildirs store;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        home = Files.createDirectories(dir.resolve("home/bob"));
        Files.setAttribute(home, "unix:uid", UID);
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Path passwd = Files.writeString(dir.resolve("passwd"), "bob:x:" + UID + ":" + GID + "::" + home + ":/bin/sh\n");
        SystemMailboxes system = new SystemMailboxes("mx.example.org", dir.resolve("spool"), 1000,
                new Passwd(passwd, dir.resolve("group")));
        store = new HomeMaildirs(new Recording(), system, "mx.example.org");
    }

    void deliver(String... accounts) throws IOException {
        StoreDelivery d = store.newDelivery();
        try {
            for (String a : accounts) d.addRecipient(a);
            d.write(content("Return-Path: <a@b.example>\nSubject: hi\n\nhello\n"));
            d.commit();
        } catch (IOException | RuntimeException e) {
            d.abort();
            throw e;
        }
    }

    @Test
    void aMessageLandsInNewOwnedByTheUserMode0600AndTheMaildirIsMadeHis() throws Exception {
        deliver("bob@mx.example.org", "alice@example.org");
        Path md = home.resolve("Maildir");
        for (String d : new String[] {"", "tmp", "new", "cur"}) {
            Path p = md.resolve(d);
            assertEquals(UID, Files.getAttribute(p, "unix:uid"), p.toString());
            assertEquals(GID, Files.getAttribute(p, "unix:gid"), p.toString());
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        List<Path> files = list(md.resolve("new"));
        assertEquals(1, files.size());
        Path f = files.get(0);
        assertEquals(UID, Files.getAttribute(f, "unix:uid"));
        assertEquals(GID, Files.getAttribute(f, "unix:gid"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        assertEquals("Return-Path: <a@b.example>\nSubject: hi\n\nhello\n", Files.readString(f));
        assertTrue(f.getFileName().toString().matches("\\d+\\.M\\d{6}P\\d+Q\\d+R[0-9a-f]+\\.mx\\.example\\.org,S=46,W=50"),
                f.getFileName().toString());
        assertEquals(0, list(md.resolve("tmp")).size());
        assertEquals(List.of("alice@example.org"), others, "other accounts go to the wrapped store");

        deliver("bob@mx.example.org");
        assertEquals(2, list(md.resolve("new")).size());
    }

    @Test
    void aMaildirThatIsASymbolicLinkIsRefusedAndNothingIsWrittenThere() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(home.resolve("Maildir"), elsewhere);
        Files.setAttribute(home.resolve("Maildir"), "unix:uid", UID, LinkOption.NOFOLLOW_LINKS);
        IOException e = assertThrows(IOException.class, () -> deliver("bob@mx.example.org"));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        try (Stream<Path> s = Files.walk(elsewhere)) {
            assertEquals(List.of(elsewhere), s.toList(), "only empty directories may have been made there");
        }
    }

    @Test
    void aSubdirectoryThatIsALinkOrAMaildirSomeoneElseOwnsIsRefused() throws Exception {
        Path md = Files.createDirectories(home.resolve("Maildir"));
        IOException e = assertThrows(IOException.class, () -> deliver("bob@mx.example.org"));
        assertTrue(e.getMessage().contains("is owned by"), e.getMessage()); // root made it, not bob
        Files.setAttribute(md, "unix:uid", UID);
        Path elsewhere = Files.createDirectories(dir.resolve("etc"));
        Files.createSymbolicLink(md.resolve("new"), elsewhere);
        e = assertThrows(IOException.class, () -> deliver("bob@mx.example.org"));
        assertTrue(e.getMessage().contains("new is not a directory"), e.getMessage());
        assertEquals(0, list(elsewhere).size());
        assertEquals(0, list(md.resolve("tmp")).size(), "the aborted delivery left nothing in tmp/");
    }

    @Test
    void withoutProtectedHardlinksNothingIsGivenAway() throws Exception {
        Path passwd = dir.resolve("passwd");
        SystemMailboxes system = new SystemMailboxes("mx.example.org", dir.resolve("spool"), 1000,
                new Passwd(passwd, dir.resolve("group")));
        HomeMaildirs unsafe = new HomeMaildirs(new Recording(), system, "mx.example.org",
                Files.writeString(dir.resolve("protected_hardlinks"), "0\n"));
        store = unsafe;
        IOException e = assertThrows(IOException.class, () -> deliver("bob@mx.example.org"));
        assertTrue(e.getMessage().contains("fs.protected_hardlinks is 0, not 1"), e.getMessage());
        assertTrue(Files.notExists(home.resolve("Maildir")));
    }

    static List<Path> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    static MessageContent content(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new MessageContent() {
            @Override public long size() { return b.length; }
            @Override public long lines() { return text.chars().filter(c -> c == '\n').count(); }
            @Override public InputStream open() { return new ByteArrayInputStream(b); }
        };
    }

    /** The store of the other accounts: notes who got a copy. */
    final class Recording implements MailStore {
        @Override
        public StoreDelivery newDelivery() {
            List<String> rcpts = new ArrayList<>();
            return new StoreDelivery() {
                @Override public void addRecipient(String account) { rcpts.add(account); }
                @Override public void write(MessageContent content) { }
                @Override public void commit() { others.addAll(rcpts); }
                @Override public void abort() { }
            };
        }

        @Override
        public Mailboxes mailboxes(String account) {
            throw new UnsupportedOperationException();
        }
    }
}
