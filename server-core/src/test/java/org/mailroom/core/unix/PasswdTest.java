package org.mailroom.core.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswdTest {
    @TempDir
    Path dir;

    Passwd files() throws Exception {
        Path p = dir.resolve("passwd"), g = dir.resolve("group");
        Files.writeString(p, """
                root:x:0:0:root:/root:/bin/bash
                # a comment
                +nisuser::::::
                broken:x:notanumber:0::/:/bin/sh
                alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
                bob:x:1001:100:Bob:/home/bob:/bin/sh
                alice:x:2000:2000:second alice loses:/nowhere:/bin/false
                """);
        Files.writeString(g, """
                root:x:0:
                users:x:100:
                alice:x:1000:
                ops:x:1500:carol, bob
                """);
        return new Passwd(p, g);
    }

    @Test
    void firstMatchingLineWinsAndBadLinesAreSkipped() throws Exception {
        Passwd pw = files();
        Passwd.Account a = pw.byName("alice").orElseThrow();
        assertEquals(1000, a.uid());
        assertEquals("/home/alice", a.home());
        assertEquals("bob", pw.byUid(1001).orElseThrow().name());
        assertTrue(pw.byName("broken").isEmpty());
        assertTrue(pw.byName("nisuser").isEmpty());
        assertTrue(pw.byName("Alice").isEmpty(), "Unix names are case-sensitive");
    }

    @Test
    void membershipByPrimaryGroupOrMemberList() throws Exception {
        Passwd pw = files();
        assertTrue(pw.isMember("bob", "ops"));
        assertTrue(pw.isMember("bob", "users"), "primary group");
        assertTrue(pw.isMember("carol", "ops"), "listed though not in passwd");
        assertFalse(pw.isMember("alice", "ops"));
        assertFalse(pw.isMember("alice", "nosuchgroup"));
    }

    @Test
    void missingFilesMeanNoAccounts() throws Exception {
        Passwd pw = new Passwd(dir.resolve("none"), dir.resolve("none2"));
        assertTrue(pw.byName("root").isEmpty());
        assertFalse(pw.isMember("root", "root"));
    }
}
