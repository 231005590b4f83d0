package org.mailroom.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mailroom.pop3.Pop3Request.Auth;
import org.mailroom.pop3.Pop3Request.Bare;
import org.mailroom.pop3.Pop3Request.Numbered;
import org.mailroom.pop3.Pop3Request.Pass;
import org.mailroom.pop3.Pop3Request.Top;
import org.mailroom.pop3.Pop3Request.User;

class Pop3ParserTest {

    @Test
    void keywordsAreCaseInsensitive() throws Pop3Error {
        assertEquals(new Bare(Pop3Command.STAT), Pop3Parser.parse("stat"));
        assertEquals(new Bare(Pop3Command.CAPA), Pop3Parser.parse("CaPa"));
        assertEquals(new Numbered(Pop3Command.RETR, 12), Pop3Parser.parse("retr 12"));
    }

    @Test
    void optionalAndRequiredMessageNumbers() throws Pop3Error {
        assertEquals(new Numbered(Pop3Command.LIST, Numbered.ALL), Pop3Parser.parse("LIST"));
        assertEquals(new Numbered(Pop3Command.UIDL, 3), Pop3Parser.parse("UIDL 3"));
        assertEquals(new Top(1, 0), Pop3Parser.parse("TOP 1 0"));
        assertEquals("RETR needs a message number", reply("RETR"));
        assertEquals("Invalid message number", reply("DELE -1"));
        assertEquals("Invalid message number", reply("DELE 1x"));
        assertEquals("Invalid message number", reply("LIST 99999999999"));
        assertEquals("Invalid message number", reply("LIST 1 2"));
        assertEquals("Syntax: TOP msg n", reply("TOP 1"));
        assertEquals("Invalid number of lines", reply("TOP 1 -5"));
    }

    @Test
    void argumentsOfLoginCommands() throws Pop3Error {
        assertEquals(new User("alice"), Pop3Parser.parse("USER alice"));
        // RFC 1939 7: spaces belong to the password
        assertEquals(new Pass("two words "), Pop3Parser.parse("PASS two words "));
        assertEquals(new Auth("PLAIN", null), Pop3Parser.parse("AUTH PLAIN"));
        assertEquals(new Auth("PLAIN", "="), Pop3Parser.parse("AUTH PLAIN ="));
        assertEquals("USER needs a name", reply("USER"));
        assertEquals("Syntax: AUTH mechanism [initial-response]", reply("AUTH"));
        assertEquals("Syntax: AUTH mechanism [initial-response]", reply("AUTH PLAIN a b"));
    }

    @Test
    void passwordsNeverShowInToString() throws Pop3Error {
        assertFalse(Pop3Parser.parse("PASS hunter2").toString().contains("hunter2"));
        assertFalse(Pop3Parser.parse("AUTH PLAIN AGFAYgBj").toString().contains("AGFAYgBj"));
    }

    @Test
    void unknownAndMalformed() {
        assertEquals("Unknown command", reply(""));
        assertEquals("Unknown command", reply("APOP mrose c4c9334bac560ecc979e58001b3e22fb"));
        assertEquals("Unknown command", reply("STATUS"));
        assertEquals("Unknown command", reply(" STAT"));
        assertEquals("Too many arguments", reply("STAT 1"));
        assertEquals("Too many arguments", reply("QUIT "));
        // RFC 2449 4: 255 octets with CRLF
        assertEquals("Line too long", reply("USER " + "a".repeat(300)));
    }

    private static String reply(String line) {
        return assertThrows(Pop3Error.class, () -> Pop3Parser.parse(line)).reply().text();
    }
}
