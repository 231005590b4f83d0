package org.mailroom.smtp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3461 4 (DSN), RFC 3030 (BDAT, BINARYMIME), RFC 6531 3.4 (SMTPUTF8): good and bad values. */
class DsnSyntaxTest {

    private static void bad(String expectedText, Runnable r) {
        SmtpReplyException e = assertThrows(SmtpReplyException.class, r::run);
        assertEquals(501, e.reply().code());
        assertEquals("501 5.5.4 " + expectedText, e.reply().summary());
    }

    @Test
    void ret() {
        assertEquals("FULL", DsnSyntax.ret("full"));
        assertEquals("HDRS", DsnSyntax.ret("HDRS"));
        for (String v : new String[] {null, "", "ALL", "FULL,HDRS"}) bad("Error: bad RET parameter", () -> DsnSyntax.ret(v));
    }

    @Test
    void envidIsXtextOfAtMost100() {
        assertEquals("QQ314159+2Bx", DsnSyntax.envid("QQ314159+2Bx"));
        assertEquals("a".repeat(100), DsnSyntax.envid("a".repeat(100)));
        for (String v : new String[] {null, "", "a".repeat(101), "a+2b", "a+2", "a+", "a=b", "a b", "ä"}) {
            bad("Error: bad ENVID parameter", () -> DsnSyntax.envid(v));
        }
    }

    @Test
    void notifyIsNeverAloneOrAListWithoutRepeats() {
        assertEquals(List.of("NEVER"), List.copyOf(DsnSyntax.notify("never")));
        assertEquals(List.of("SUCCESS", "FAILURE", "DELAY"), List.copyOf(DsnSyntax.notify("SUCCESS,failure,Delay")));
        for (String v : new String[] {null, "", "NEVER,SUCCESS", "DELAY,NEVER", "SUCCESS,SUCCESS", "SUCCESS,",
                ",FAILURE", "ALWAYS", "SUCCESS FAILURE"}) {
            bad("Error: bad NOTIFY parameter", () -> DsnSyntax.notify(v));
        }
    }

    @Test
    void orcptIsAddrTypeSemicolonXtext() {
        assertEquals("rfc822;alice@example.org", DsnSyntax.orcpt("rfc822;alice@example.org"));
        assertEquals("RFC822;a+2Bb@x.test", DsnSyntax.orcpt("RFC822;a+2Bb@x.test"));
        for (String v : new String[] {null, "alice@example.org", ";a@b", "rfc822;", "rfc 822;a@b", "rfc822;a+zz@b",
                "rfc822;" + "a".repeat(500)}) {
            bad("Error: bad ORCPT parameter", () -> DsnSyntax.orcpt(v));
        }
    }

    @Test
    void bodyAndSmtputf8() {
        assertEquals("BINARYMIME", DsnSyntax.body("binarymime"));
        assertEquals("8BITMIME", DsnSyntax.body("8bitmime"));
        assertEquals("7BIT", DsnSyntax.body("7BIT"));
        bad("Error: unsupported BODY type", () -> DsnSyntax.body("BINARY"));
        bad("Error: unsupported BODY type", () -> DsnSyntax.body(null));
        DsnSyntax.smtputf8(null);
        bad("Error: bad SMTPUTF8 parameter", () -> DsnSyntax.smtputf8("yes"));
    }

    @Test
    void xtext() {
        assertTrue(DsnSyntax.isXtext(""));
        assertTrue(DsnSyntax.isXtext("!~+2B+3D"));
        assertFalse(DsnSyntax.isXtext("+2b"));
        assertFalse(DsnSyntax.isXtext("\u007f"));
    }

    @Test
    void bdat() {
        assertEquals(new SmtpCommand.Bdat(10, false), SmtpCommandParser.parse("BDAT 10"));
        assertEquals(new SmtpCommand.Bdat(0, true), SmtpCommandParser.parse("bdat 0 last"));
        assertEquals(new SmtpCommand.Bdat(123, true), SmtpCommandParser.parse("BDAT 123  LAST"));
        for (String l : new String[] {"BDAT", "BDAT x", "BDAT -1", "BDAT 10 FIRST", "BDAT 10 LAST x",
                "BDAT 1234567890123456789"}) {
            bad("Syntax: BDAT chunk-size [LAST]", () -> SmtpCommandParser.parse(l));
            assertEquals(-1, SmtpCommandParser.chunkOctets(l));
        }
        assertEquals(10, SmtpCommandParser.chunkOctets("BDAT 10 LAST"));
        assertEquals(-1, SmtpCommandParser.chunkOctets("DATA"));
    }

    @Test
    void duplicateParametersAre501() {
        bad("Bad parameter syntax: duplicate or too many parameters",
                () -> SmtpCommandParser.parse("MAIL FROM:<> RET=FULL ret=HDRS"));
        bad("Bad parameter syntax: duplicate or too many parameters",
                () -> SmtpCommandParser.parse("RCPT TO:<a@b.test> NOTIFY=NEVER NOTIFY=NEVER"));
    }
}
