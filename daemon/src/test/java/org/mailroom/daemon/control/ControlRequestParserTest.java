package org.mailroom.daemon.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.daemon.control.ControlRequest.Command;
import org.mailroom.daemon.control.ControlRequestParser.BadRequest;

class ControlRequestParserTest {

    @Test
    void everyCommandOfTheTable() throws Exception {
        assertEquals(new ControlRequest(Command.LIST, null), ControlRequestParser.parse("queue list"));
        assertEquals(new ControlRequest(Command.FLUSH, null), ControlRequestParser.parse("queue flush"));
        for (Command c : List.of(Command.SHOW, Command.DELETE, Command.HOLD, Command.RELEASE)) {
            ControlRequest r = ControlRequestParser.parse("queue " + c.word() + " 4XJ2K9ABCD");
            assertEquals(new ControlRequest(c, "4XJ2K9ABCD"), r);
            assertEquals("queue " + c.word() + " 4XJ2K9ABCD", r.line(), "line() is what parse() reads");
        }
        ControlRequest status = ControlRequestParser.parse("status");
        assertEquals(new ControlRequest(Command.STATUS, null), status);
        assertEquals("status", status.line(), "line() is what parse() reads");
    }

    @Test
    void reloadIsARequestOfItsOwn() throws Exception {
        ControlRequest r = ControlRequestParser.parse("reload\r".getBytes(UTF_8));
        assertEquals(new ControlRequest(Command.RELOAD, null), r);
        assertEquals("reload", r.line(), "line() is what parse() reads");
    }

    @Test
    void crLfAndSpacingAreTolerated() throws Exception {
        assertEquals(new ControlRequest(Command.HOLD, "4XJ2K9ABCD"),
                ControlRequestParser.parse("  queue\thold   4XJ2K9ABCD \r".getBytes(UTF_8)));
    }

    @Test
    void malformedRequestsAreRefusedWithAMessage() {
        String[][] cases = {
            {"", "empty request"},
            {"   ", "empty request"},
            {"mail list", "unknown request \"mail\""},
            {"queue", "queue needs list, show, flush, delete, hold or release"},
            {"queue LIST", "unknown queue command \"LIST\""},
            {"queue purge", "unknown queue command \"purge\""},
            {"queue reload", "unknown queue command \"reload\""},
            {"reload now", "reload takes no arguments"},
            {"queue status", "unknown queue command \"status\""},
            {"status now", "status takes no arguments"},
            {"queue list now", "queue list takes no arguments"},
            {"queue show", "queue show needs one queue ID"},
            {"queue delete A1B2C3D4 E5F6G7H8", "queue delete needs one queue ID"},
            {"queue show ../../etc/passwd", "not a queue ID: \"../../etc/passwd\""},
            {"queue hold abc", "not a queue ID: \"abc\""},
            {"queue hold ABCDEF.env", "not a queue ID: \"ABCDEF.env\""},
            {"queue list\u0000", "control character in request"},
            {"queue show A1B2C3D4\nqueue flush", "control character in request"},
        };
        for (String[] c : cases) {
            BadRequest e = assertThrows(BadRequest.class, () -> ControlRequestParser.parse(c[0]), c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }

    @Test
    void octetsMustBeUtf8AndFitTheLimit() throws Exception {
        assertEquals("request is not UTF-8", assertThrows(BadRequest.class,
                () -> ControlRequestParser.parse(new byte[] {'q', (byte) 0xC3, 0x28})).getMessage());
        byte[] longLine = ("queue list" + " ".repeat(ControlRequestParser.MAX_LINE)).getBytes(UTF_8);
        assertTrue(assertThrows(BadRequest.class, () -> ControlRequestParser.parse(longLine)).getMessage()
                .startsWith("request longer than"));
        byte[] justFits = ("queue list" + " ".repeat(ControlRequestParser.MAX_LINE - 11)).getBytes(UTF_8);
        assertEquals(new ControlRequest(Command.LIST, null), ControlRequestParser.parse(justFits));
    }

    @Test
    void aSeededMutationLoopNeverThrowsAnythingButBadRequest() {
        java.util.Random rnd = new java.util.Random(42);
        String[] seeds = {"queue list", "queue show 4XJ2K9ABCD", "queue release ABCDEF"};
        for (int i = 0; i < 20_000; i++) {
            byte[] b = seeds[rnd.nextInt(seeds.length)].getBytes(UTF_8);
            b = java.util.Arrays.copyOf(b, Math.max(0, b.length + rnd.nextInt(5) - 2));
            for (int k = rnd.nextInt(3); k >= 0 && b.length > 0; k--) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            try {
                ControlRequest r = ControlRequestParser.parse(b);
                assertTrue(r.id() == null || org.mailroom.delivery.queue.QueueId.isValid(r.id()), r.toString());
            } catch (BadRequest expected) {
                // fine: refused with a message
            }
        }
    }
}
