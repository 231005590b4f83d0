package org.mailroom.smtp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpCommandParserTest {

    @Test
    void verbs() {
        assertEquals("MAIL", SmtpCommandParser.verb("mail FROM:<>"));
        assertEquals("", SmtpCommandParser.verb(""));
        assertEquals("", SmtpCommandParser.verb(" NOOP"));
        assertInstanceOf(SmtpCommand.Unknown.class, SmtpCommandParser.parse("XYZZY"));
    }

    @Test
    void rfc5321Examples() {
        // RFC 5321 appendix D.1
        assertEquals(new SmtpCommand.Ehlo("bar.com"), SmtpCommandParser.parse("EHLO bar.com"));
        SmtpCommand.Mail m = (SmtpCommand.Mail) SmtpCommandParser.parse("MAIL FROM:<Smith@bar.com>");
        assertEquals("Smith@bar.com", m.from().address());
        assertTrue(m.params().isEmpty());
        SmtpCommand.Rcpt r = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<Jones@foo.com>");
        assertEquals("Jones@foo.com", r.to().address());
        assertEquals(new SmtpCommand.Data(), SmtpCommandParser.parse("DATA"));
        assertEquals(new SmtpCommand.Quit(), SmtpCommandParser.parse("QUIT"));
        // RFC 5321 appendix D.3: a source route
        r = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>");
        assertEquals("userc@d.bar.org", r.to().address());
    }

    @Test
    void mailWithParameters() {
        SmtpCommand.Mail m = (SmtpCommand.Mail) SmtpCommandParser.parse("MAIL FROM:<> SIZE=123 BODY=8BITMIME");
        assertTrue(m.from().isNull());
        assertEquals("123", m.params().get("SIZE"));
        m = (SmtpCommand.Mail) SmtpCommandParser.parse("MAIL FROM:<\"a> b\"@x.test> SIZE=1");
        assertEquals("\"a> b\"@x.test", m.from().address());
        assertEquals("1", m.params().get("SIZE"));
    }

    @Test
    void lenientSpaceAfterColonAndCase() {
        SmtpCommand.Mail m = (SmtpCommand.Mail) SmtpCommandParser.parse("mail from: <a@b.test>  ");
        assertEquals("a@b.test", m.from().address());
        SmtpCommand.Rcpt r = (SmtpCommand.Rcpt) SmtpCommandParser.parse("Rcpt To:  <c@d.test>");
        assertEquals("c@d.test", r.to().address());
    }

    @Test
    void utf8PathIsFlaggedNotRefused() {
        SmtpCommand.Rcpt r = (SmtpCommand.Rcpt) SmtpCommandParser.parse("RCPT TO:<jöran@x.test>");
        assertTrue(r.to().nonAscii());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MAIL FROM:a@b.test|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM a@b.test|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL TO:<a@b.test>|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM:<a@b.test|501 5.5.4 Syntax: MAIL FROM:<address>",
            "MAIL FROM:<a b@c.test>|501 5.1.7 Bad sender address syntax: expected '@'",
            "MAIL FROM:<a@b.test>SIZE=1|501 5.1.7 Bad sender address syntax: no space after the address",
            "MAIL FROM:<a@b.test> SIZE=|501 5.5.4 Bad parameter syntax: empty value for SIZE",
            "MAIL FROM:<a@b.test> SIZE=é|500 5.5.2 Error: control or 8-bit characters in command",
            "RCPT TO:<>|501 5.1.3 Bad recipient address syntax: null path not allowed here",
            "RCPT TO:c@d.test|501 5.5.4 Syntax: RCPT TO:<address>",
            "EHLO|501 5.5.4 Syntax: EHLO hostname",
            "HELO   |501 5.5.4 Syntax: HELO hostname",
            "DATA now|501 5.5.4 Syntax: DATA",
            "QUIT x|501 5.5.4 Syntax: QUIT",
            "STARTTLS x|501 5.5.4 Syntax: STARTTLS",
            "VRFY|501 5.5.4 Syntax: VRFY address",
            "EHLO bücher.example|500 5.5.2 Error: control or 8-bit characters in command",
            "NOOP a\u0000b|500 5.5.2 Error: control or 8-bit characters in command",
    })
    void syntaxErrors(String line, String reply) {
        SmtpReplyException e = assertThrows(SmtpReplyException.class, () -> SmtpCommandParser.parse(line));
        assertEquals(reply, e.reply().summary());
    }

    /** A seeded mutation loop (STYLE.md 1.5): no input makes the parser throw anything but a reply. */
    @Test
    void hostileInputOnlyEverGivesReplies() {
        String[] seeds = {"EHLO client.test", "MAIL FROM:<a@b.test> SIZE=10 BODY=8BITMIME",
                "RCPT TO:<@r.test,@s.test:\"q u\"@[IPv6:2001:db8::1]>", "RCPT TO:<x@[192.0.2.1]>", "DATA",
                "MAIL FROM:<>", "VRFY x", "HELP", "STARTTLS"};
        String alphabet = "<>@:.,\"\\[] =-\u0000\u00e9\uFFFDaZ09\r\n\t";
        Random rnd = new Random(5321);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b = new StringBuilder(seeds[rnd.nextInt(seeds.length)]);
            for (int k = rnd.nextInt(4); k >= 0; k--) {
                int at = rnd.nextInt(b.length() + 1);
                switch (rnd.nextInt(3)) {
                    case 0 -> b.insert(at, alphabet.charAt(rnd.nextInt(alphabet.length())));
                    case 1 -> { if (at < b.length()) b.deleteCharAt(at); }
                    default -> { if (at < b.length()) b.setCharAt(at, alphabet.charAt(rnd.nextInt(alphabet.length()))); }
                }
            }
            try {
                SmtpCommand c = SmtpCommandParser.parse(b.toString());
                assertTrue(c != null);
            } catch (SmtpReplyException e) {
                int code = e.reply().code();
                assertTrue(code == 500 || code == 501, b + " -> " + e.reply());
                assertTrue(e.reply().encode().matches("[0-9]{3} [245]\\.[0-9]\\.[0-9] [^\r\n]*\r\n"), e.reply().encode());
            }
        }
    }

    @Test
    void authTakesAMechanismAndAnOptionalInitialResponse() {
        org.junit.jupiter.api.Assertions.assertEquals(new SmtpCommand.Auth("PLAIN", null), SmtpCommandParser.parse("auth plain"));
        org.junit.jupiter.api.Assertions.assertEquals(new SmtpCommand.Auth("SCRAM-SHA-256", "="),
                SmtpCommandParser.parse("AUTH SCRAM-SHA-256 ="));
        for (String bad : new String[] {"AUTH", "AUTH PLAIN a b", "AUTH PL@IN", "AUTH ABCDEFGHIJKLMNOPQRSTU"}) {
            org.junit.jupiter.api.Assertions.assertThrows(SmtpReplyException.class, () -> SmtpCommandParser.parse(bad), bad);
        }
    }
}
