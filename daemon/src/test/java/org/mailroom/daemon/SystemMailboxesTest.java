package org.mailroom.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.unix.Passwd;

class SystemMailboxesTest {
    @TempDir
    Path dir;

    SystemMailboxes boxes() throws IOException {
        Path p = dir.resolve("passwd");
        Files.writeString(p, "root:x:0:0::/root:/bin/sh\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
                + "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n");
        return new SystemMailboxes("MX.example.org", dir.resolve("spool"), 1000, new Passwd(p, dir.resolve("group")));
    }

    @Test
    void onlyAccountsFromMinUidUpReceiveMailAndNoNameIsAPath() throws Exception {
        SystemMailboxes b = boxes();
        assertTrue(b.receivesMail("nobody"));
        assertFalse(b.receivesMail("root"));
        assertFalse(b.receivesMail("daemon"));
        assertFalse(b.receivesMail("alice"));
        assertFalse(b.receivesMail("../nobody"));
        assertTrue(b.owns("nobody@mx.example.org"));
        assertFalse(b.owns("nobody@example.org"));
        assertEquals(dir.resolve("spool").resolve("nobody"), b.spool("Nobody@mx.example.org"));
    }

    @Test
    void dotForwardSyntax() {
        assertEquals(java.util.List.of("\\bob", "bob@elsewhere.example", "|/usr/bin/procmail -f-", "/tmp/x, y"),
                SystemMailboxes.parseForward("# keep one\n\\bob,  bob@elsewhere.example\n\n\"|/usr/bin/procmail -f-\", \"/tmp/x, y\"\n"));
    }

    @Test
    void aDotForwardOthersCanWriteIsIgnored() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path p = dir.resolve("passwd");
        Files.writeString(p, "u:x:" + uid() + ":0::" + home + ":/bin/sh\n");
        SystemMailboxes b = new SystemMailboxes("mx.example.org", dir.resolve("spool"), 0, new Passwd(p, dir.resolve("group")));
        assertEquals(null, b.forward("u"));
        Path f = Files.writeString(home.resolve(".forward"), "u@elsewhere.example\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(java.util.List.of("u@elsewhere.example"), b.forward("u"));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(null, b.forward("u"), "group-writable: someone else could take the user's mail");
    }

    long uid() throws IOException {
        return ((Number) Files.getAttribute(dir, "unix:uid")).longValue();
    }

    @Test
    void aNewSpoolFileBelongsToItsUserGroupMailMode0660() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown to another user needs CAP_CHOWN (root here)");
        SystemMailboxes b = boxes();
        Path f = Files.createFile(dir.resolve("nobody"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        b.created("nobody@mx.example.org", f);
        assertEquals("nobody", Files.getOwner(f).getName());
        assertEquals(SystemMailboxes.MAIL_GROUP, Files.readAttributes(f, java.nio.file.attribute.PosixFileAttributes.class).group().getName());
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Path g = Files.createFile(dir.resolve("ghost"));
        assertThrows(IOException.class, () -> b.created("ghost@mx.example.org", g), "an account that vanished");
    }
}
