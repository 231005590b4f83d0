package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mailroom.imap.wire.Wire.parse;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SELECT, EXAMINE, CREATE, DELETE, RENAME, (UN)SUBSCRIBE, LIST, LSUB, STATUS, APPEND, quota. */
class MailboxCommandsTest {

    private static SequenceSet set(String s) throws ImapSyntaxException {
        return SequenceSet.parse(s);
    }

    @Test
    void selectAndExamine() throws Exception {
        // RFC 9051 6.3.2 / 6.3.3 examples.
        assertEquals(new Command.Select("INBOX", false, false, null), parse("A142 SELECT INBOX"));
        assertEquals(new Command.Select("blurdybloop", true, false, null), parse("A932 EXAMINE blurdybloop"));
        assertEquals(new Command.Select("a b", false, false, null), parse("A SELECT \"a b\""));
        assertEquals(new Command.Select("Entw&APw-rfe", false, false, null), parse("A SELECT {12}\r\nEntw&APw-rfe"));
        // RFC 7162 3.1.8 example.
        assertEquals(new Command.Select("INBOX", false, true, null), parse("a SELECT INBOX (CONDSTORE)"));
    }

    @Test
    void qresync() throws Exception {
        // RFC 7162 3.2.5.2 examples.
        assertEquals(new Command.Select("INBOX", false, false,
                        new Command.Qresync(67890007L, 20050715194045000L, set("41,43:211,214:541"), null, null)),
                parse("A02 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))"));
        assertEquals(new Command.Select("INBOX", false, false,
                        new Command.Qresync(67890007L, 90060115194045000L, set("1:29997"),
                                set("5000,7500,9000,9990:9999"),
                                set("15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997"))),
                parse("B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999"
                        + " 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))"));
        assertEquals(new Command.Select("INBOX", true, true,
                        new Command.Qresync(1, 2, null, set("1:3"), set("10:12"))),
                parse("a examine INBOX (condstore qresync (1 2 (1:3 10:12)))"));
        assertEquals(new Command.Select("INBOX", false, false, new Command.Qresync(1, 2, null, null, null)),
                parse("a SELECT INBOX (QRESYNC (1 2))"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a SELECT", "a SELECT ", "a SELECT INBOX ()", "a SELECT INBOX (CONDSTORE", "a SELECT INBOX (FOO)",
        "a SELECT INBOX (CONDSTORE CONDSTORE)", "a SELECT INBOX (QRESYNC)", "a SELECT INBOX (QRESYNC ())",
        "a SELECT INBOX (QRESYNC (0 2))", "a SELECT INBOX (QRESYNC (1 0))", "a SELECT INBOX (QRESYNC (1 2 1:*))",
        "a SELECT INBOX (QRESYNC (1 2 $))", "a SELECT INBOX (QRESYNC (1 2 1:5 (1:3)))",
        "a SELECT INBOX (QRESYNC (1 2 1:5 (1:3 4:6) 9))", "a SELECT INBOX (QRESYNC (1 2 ) )",
        "a SELECT INBOX (QRESYNC (1 2 1:5 ))", "a SELECT (INBOX)", "a SELECT INBOX INBOX",
        "a SELECT INBOX (QRESYNC (1 2 (1:3 4:*)))",
    })
    void selectErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void createDeleteRenameSubscribe() throws Exception {
        // RFC 9051 6.3.4 - 6.3.8 examples.
        assertEquals(new Command.Create("owatagusiam/", List.of()), parse("A003 CREATE owatagusiam/"));
        assertEquals(new Command.Create("owatagusiam/blurdybloop", List.of()),
                parse("A004 CREATE owatagusiam/blurdybloop"));
        // RFC 6154 5.3 example.
        assertEquals(new Command.Create("MySpecial", List.of("\\Drafts", "\\Sent")),
                parse("t1 CREATE MySpecial (USE (\\Drafts \\Sent))"));
        assertEquals(new Command.Create("x", List.of()), parse("t1 CREATE x (use ())"));
        assertEquals(new Command.Delete("blurdybloop"), parse("A682 DELETE blurdybloop"));
        assertEquals(new Command.Rename("blurdybloop", "sarasoop"), parse("A683 RENAME blurdybloop sarasoop"));
        assertEquals(new Command.Rename("foo", "zowie"), parse("A684 RENAME \"foo\" {5}\r\nzowie"));
        assertEquals(new Command.Subscribe("#news.comp.mail.mime"), parse("A002 SUBSCRIBE #news.comp.mail.mime"));
        assertEquals(new Command.Unsubscribe("#news.comp.mail.mime"), parse("A002 UNSUBSCRIBE #news.comp.mail.mime"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a CREATE", "a CREATE x ()", "a CREATE x (USE)", "a CREATE x (USE (Sent))", "a CREATE x (FOO (\\Sent))",
        "a CREATE x (USE (\\Sent)", "a DELETE", "a DELETE x y", "a RENAME x", "a RENAME x y z",
        "a SUBSCRIBE", "a UNSUBSCRIBE x ", "a DELETE *", "a DELETE %",
    })
    void mailboxErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    private static Command.ListMailboxes list(Set<String> select, String ref, List<String> patterns,
                                              Set<String> returns, Set<Command.StatusItem> status) {
        return new Command.ListMailboxes(select, ref, patterns, returns, status);
    }

    @Test
    void listBasic() throws Exception {
        // RFC 9051 6.3.9 examples.
        assertEquals(list(Set.of(), "", List.of(""), Set.of(), Set.of()), parse("A101 LIST \"\" \"\""));
        assertEquals(list(Set.of(), "#news.comp.mail.misc", List.of(""), Set.of(), Set.of()),
                parse("A102 LIST #news.comp.mail.misc \"\""));
        assertEquals(list(Set.of(), "/usr/staff/jones", List.of(""), Set.of(), Set.of()),
                parse("A103 LIST /usr/staff/jones \"\""));
        assertEquals(list(Set.of(), "~/Mail/", List.of("%"), Set.of(), Set.of()), parse("A202 LIST ~/Mail/ %"));
        assertEquals(list(Set.of(), "", List.of("*"), Set.of(), Set.of()), parse("A682 LIST \"\" *"));
        assertEquals(list(Set.of(), "", List.of("Sent]*"), Set.of(), Set.of()), parse("A LIST \"\" Sent]*"));
        assertEquals(list(Set.of(), "", List.of("a b%"), Set.of(), Set.of()), parse("A LIST \"\" {4}\r\na b%"));
    }

    @Test
    void listExtended() throws Exception {
        // RFC 5258 5 examples.
        assertEquals(list(Set.of("SUBSCRIBED"), "", List.of("*"), Set.of(), Set.of()),
                parse("A02 LIST (SUBSCRIBED) \"\" \"*\""));
        assertEquals(list(Set.of(), "", List.of("%"), Set.of("CHILDREN"), Set.of()),
                parse("A03 LIST () \"\" \"%\" RETURN (CHILDREN)"));
        assertEquals(list(Set.of("REMOTE"), "", List.of("%"), Set.of("CHILDREN"), Set.of()),
                parse("A04 LIST (REMOTE) \"\" \"%\" RETURN (CHILDREN)"));
        assertEquals(list(Set.of("SUBSCRIBED", "REMOTE"), "", List.of("*"), Set.of(), Set.of()),
                parse("A05 LIST (REMOTE SUBSCRIBED) \"\" \"*\""));
        assertEquals(list(Set.of("SUBSCRIBED", "RECURSIVEMATCH"), "", List.of("%"), Set.of(), Set.of()),
                parse("A06 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\""));
        assertEquals(list(Set.of("SUBSCRIBED", "RECURSIVEMATCH"), "", List.of("%"), Set.of("CHILDREN"), Set.of()),
                parse("A07 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\" RETURN (CHILDREN)"));
        assertEquals(list(Set.of(), "", List.of("INBOX", "Drafts", "Sent/%"), Set.of(), Set.of()),
                parse("A10 LIST () \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")"));
        assertEquals(list(Set.of(), "", List.of("%"), Set.of("SUBSCRIBED", "CHILDREN"), Set.of()),
                parse("A LIST \"\" % return (subscribed children)"));
        assertEquals(list(Set.of(), "", List.of("%"), Set.of(), Set.of()), parse("A LIST \"\" % RETURN ()"));
        // RFC 6154 5.1, 5.2 examples.
        assertEquals(list(Set.of("SPECIAL-USE"), "", List.of("*"), Set.of(), Set.of()),
                parse("t1 LIST (SPECIAL-USE) \"\" \"*\""));
        assertEquals(list(Set.of(), "", List.of("%"), Set.of("SPECIAL-USE"), Set.of()),
                parse("t1 LIST \"\" \"%\" RETURN (SPECIAL-USE)"));
        // RFC 5819 example.
        assertEquals(list(Set.of(), "", List.of("%"), Set.of("STATUS"),
                        EnumSet.of(Command.StatusItem.MESSAGES, Command.StatusItem.UNSEEN)),
                parse("A01 LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))"));
        assertEquals(list(Set.of("SUBSCRIBED"), "", List.of("*"), Set.of("CHILDREN", "STATUS"),
                        EnumSet.of(Command.StatusItem.HIGHESTMODSEQ)),
                parse("A LIST (SUBSCRIBED) \"\" * RETURN (CHILDREN STATUS (HIGHESTMODSEQ))"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a LIST", "a LIST \"\"", "a LIST \"\" ", "a LIST (RECURSIVEMATCH) \"\" %",
        "a LIST (REMOTE RECURSIVEMATCH) \"\" %", "a LIST (FOO) \"\" %", "a LIST \"\" % RETURN (FOO)",
        "a LIST \"\" % RETURN", "a LIST \"\" % RETURN (STATUS)", "a LIST \"\" % RETURN (STATUS ())",
        "a LIST \"\" % RETURN (STATUS (FOO))", "a LIST \"\" % FOO (CHILDREN)", "a LIST \"\" ()",
        "a LIST \"\" (% )", "a LIST \"\" (%", "a LIST (SUBSCRIBED)\"\" %", "a LIST \"\" % RETURN (CHILDREN",
        "a LIST \"\" % RETURN (STATUS (MESSAGES) STATUS (UNSEEN))", "a LSUB \"\"", "a LSUB \"\" % x",
    })
    void listErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void listPatternBound() throws Exception {
        String ok = "a LIST \"\" (" + "x ".repeat(ImapCommandParser.MAX_PATTERNS - 1) + "x)";
        assertEquals(ImapCommandParser.MAX_PATTERNS, ((Command.ListMailboxes) parse(ok)).patterns().size());
        String tooMany = "a LIST \"\" (" + "x ".repeat(ImapCommandParser.MAX_PATTERNS) + "x)";
        assertThrows(ImapSyntaxException.class, () -> parse(tooMany));
    }

    @Test
    void lsubAndStatus() throws Exception {
        // RFC 3501 6.3.9 and RFC 9051 6.3.11 examples.
        assertEquals(new Command.Lsub("#news.", "comp.mail.*"), parse("A002 LSUB \"#news.\" \"comp.mail.*\""));
        assertEquals(new Command.Lsub("#news.", "comp.%"), parse("A003 LSUB \"#news.\" \"comp.%\""));
        assertEquals(new Command.Status("blurdybloop",
                        EnumSet.of(Command.StatusItem.UIDNEXT, Command.StatusItem.MESSAGES)),
                parse("A042 STATUS blurdybloop (UIDNEXT MESSAGES)"));
        assertEquals(new Command.Status("INBOX", EnumSet.allOf(Command.StatusItem.class)),
                parse("A STATUS INBOX (messages uidnext uidvalidity unseen deleted size recent"
                        + " highestmodseq appendlimit)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a STATUS INBOX", "a STATUS INBOX ()", "a STATUS INBOX (FOO)", "a STATUS INBOX MESSAGES",
        "a STATUS INBOX (MESSAGES", "a STATUS INBOX (MESSAGES )", "a STATUS (MESSAGES)",
    })
    void statusErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    private static final String MESSAGE = "Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)\r\n"
            + "From: Fred Foobar <foobar@Blurdybloop.example>\r\n"
            + "Subject: afternoon meeting\r\n\r\nHello Joe\r\n";

    @Test
    void append() throws Exception {
        // RFC 9051 6.3.12 example.
        int n = MESSAGE.getBytes(StandardCharsets.UTF_8).length;
        Command.Append a = (Command.Append) parse("A003 APPEND saved-messages (\\Seen) {" + n + "}\r\n" + MESSAGE);
        assertEquals("saved-messages", a.mailbox());
        assertEquals(List.of("\\Seen"), a.flags());
        assertNull(a.date());
        assertArrayEquals(MESSAGE.getBytes(StandardCharsets.UTF_8), a.message().bytes());

        a = (Command.Append) parse("A APPEND INBOX {" + n + "+}\r\n" + MESSAGE);
        assertEquals(List.of(), a.flags());
        assertNull(a.date());

        a = (Command.Append) parse("A APPEND INBOX () \" 7-Feb-1994 21:52:25 -0800\" {" + n + "}\r\n" + MESSAGE);
        assertEquals(List.of(), a.flags());
        assertEquals(OffsetDateTime.of(1994, 2, 7, 21, 52, 25, 0, ZoneOffset.ofHours(-8)), a.date());

        a = (Command.Append) parse("A APPEND Drafts (\\Draft $Label1) \"17-jul-1996 02:44:25 +0530\" {1}\r\nx");
        assertEquals(List.of("\\Draft", "$Label1"), a.flags());
        assertEquals(OffsetDateTime.of(1996, 7, 17, 2, 44, 25, 0, ZoneOffset.ofHoursMinutes(5, 30)), a.date());

        a = (Command.Append) parse("A APPEND x \"7-Feb-1994 21:52:25 +0000\" {1}\r\nx");
        assertEquals(OffsetDateTime.of(1994, 2, 7, 21, 52, 25, 0, ZoneOffset.UTC), a.date());

        // RFC 3516 literal8 and RFC 6855 4 UTF8 (~{n}).
        a = (Command.Append) parse("A APPEND x ~{3}\r\na\u0000b");
        assertEquals(3, a.message().size());
        a = (Command.Append) parse("A APPEND x (\\Seen) UTF8 (~{4+}\r\nGrü)");
        assertArrayEquals("Grü".getBytes(StandardCharsets.UTF_8), a.message().bytes());
        // The literal may also be the mailbox.
        a = (Command.Append) parse("A APPEND {5}\r\nDraft {1}\r\nx");
        assertEquals("Draft", a.mailbox());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "A APPEND", "A APPEND x", "A APPEND x {1}", "A APPEND x \"x\"", "A APPEND x (\\Seen)",
        "A APPEND x (\\Seen) {1}\r\nxy", "A APPEND x (\\Seen){1}\r\nx", "A APPEND x  {1}\r\nx",
        "A APPEND x \"7-Feb-1994 21:52:25\" {1}\r\nx", "A APPEND x \"32-Feb-1994 21:52:25 -0800\" {1}\r\nx",
        "A APPEND x \"30-Feb-1994 21:52:25 -0800\" {1}\r\nx", "A APPEND x \"07-Foo-1994 21:52:25 -0800\" {1}\r\nx",
        "A APPEND x \"07-Feb-1994 24:52:25 -0800\" {1}\r\nx", "A APPEND x \"07-Feb-1994 21:52:25 -0860\" {1}\r\nx",
        "A APPEND x \"07-Feb-1994 21:52:25 *0800\" {1}\r\nx", "A APPEND x \"07-Feb-94 21:52:25 -0800\" {1}\r\nx",
        "A APPEND x UTF8 ({1}\r\nx)", "A APPEND x UTF8 (~{1}\r\nx", "A APPEND x UTF9 (~{1}\r\nx)",
        "A APPEND x {1}\r\nx {1}\r\ny", "A APPEND x () () {1}\r\nx",
    })
    void appendErrors(String line) {
        assertThrows(ImapSyntaxException.class, () -> parse(line));
    }

    @Test
    void quota() throws Exception {
        // RFC 9208 4.1 examples.
        assertEquals(new Command.GetQuota("!partition/sda4"), parse("G0001 GETQUOTA \"!partition/sda4\""));
        assertEquals(new Command.GetQuotaRoot("INBOX"), parse("A003 GETQUOTAROOT INBOX"));
        assertEquals(new Command.SetQuota("#user/alice", Map.of("STORAGE", 510L)),
                parse("S0000 SETQUOTA \"#user/alice\" (STORAGE 510)"));
        assertEquals(new Command.SetQuota("", Map.of("STORAGE", 512L, "MESSAGE", 1000L)),
                parse("S SETQUOTA \"\" (storage 512 Message 1000)"));
        assertEquals(new Command.SetQuota("x", Map.of()), parse("S SETQUOTA x ()"));
        assertThrows(ImapSyntaxException.class, () -> parse("S SETQUOTA x (STORAGE)"));
        assertThrows(ImapSyntaxException.class, () -> parse("S SETQUOTA x STORAGE 1"));
        assertThrows(ImapSyntaxException.class, () -> parse("S GETQUOTA"));
    }
}
