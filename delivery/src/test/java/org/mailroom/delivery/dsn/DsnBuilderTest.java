package org.mailroom.delivery.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mailroom.delivery.dsn.Reports.ARRIVAL;
import static org.mailroom.delivery.dsn.Reports.NOW;
import static org.mailroom.delivery.dsn.Reports.groups;
import static org.mailroom.delivery.dsn.Reports.octets;
import static org.mailroom.delivery.dsn.Reports.parse;
import static org.mailroom.delivery.dsn.Reports.parts;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.stream.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.dsn.DsnRequest.Kind;
import org.mailroom.delivery.dsn.DsnRequest.Ret;
import org.mailroom.delivery.dsn.RecipientStatus.Action;

class DsnBuilderTest {
    static final String ORIGINAL = """
            From: Alice <alice@example.org>
            To: Bob <bob@example.net>
            Subject: Lunch
            Message-ID: <lunch-1@example.org>

            shall we meet at noon?
            """;

    @TempDir Path tmp;

    private MessageContent original() {
        return Reports.content(tmp, ORIGINAL);
    }

    static RecipientStatus failed(String rcpt) {
        return new RecipientStatus(rcpt, null, Action.FAILED, "5.1.1", "mx.example.net",
                "550 5.1.1 <" + rcpt + ">: user unknown", NOW.minusSeconds(60), null);
    }

    private DsnRequest request(Kind kind, Ret ret, long max, RecipientStatus... rcpts) {
        return new DsnRequest(kind, null, "alice@example.org", ARRIVAL, List.of(rcpts), ret, original(), max);
    }

    @Test
    void oneFailedRecipient() throws Exception {
        Message m = parse(Reports.fixedBuilder().build(
                request(Kind.FAILURE, Ret.FULL, 1 << 20, failed("bob@example.net"))));

        assertEquals("Undelivered Mail Returned to Sender", m.getSubject());
        assertEquals("MAILER-DAEMON@mx.example.org", m.getFrom().get(0).getAddress());
        assertEquals("alice@example.org", m.getTo().flatten().get(0).getAddress());
        assertEquals("auto-replied", m.getHeader().getField("Auto-Submitted").getBody());
        assertEquals("<T1@mx.example.org>", m.getHeader().getField("Message-ID").getBody());
        assertEquals("multipart/report", m.getMimeType());
        assertTrue(m.getHeader().getField("Content-Type").getBody().contains("report-type=delivery-status"));

        List<Entity> parts = parts(m);
        assertEquals(3, parts.size());
        assertEquals("text/plain", parts.get(0).getMimeType());
        assertEquals("us-ascii", parts.get(0).getCharset());
        String text = new String(octets(parts.get(0)), StandardCharsets.US_ASCII);
        assertTrue(text.contains("<bob@example.net>: host mx.example.net said: 550 5.1.1"), text);
        assertEquals("message/delivery-status", parts.get(1).getMimeType());
        assertEquals("message/rfc822", parts.get(2).getMimeType());
        Message returned = assertInstanceOf(Message.class, parts.get(2).getBody());
        assertEquals("Lunch", returned.getSubject());

        List<Map<String, String>> g = groups(parts.get(1));
        assertEquals(2, g.size());
        assertEquals(Map.of("Reporting-MTA", "dns; mx.example.org", "Arrival-Date", "Mon, 23 Nov 2026 18:00:00 +0000"), g.get(0));
        assertEquals(Map.of(
                "Final-Recipient", "rfc822; bob@example.net",
                "Action", "failed",
                "Status", "5.1.1",
                "Remote-MTA", "dns; mx.example.net",
                "Diagnostic-Code", "smtp; 550 5.1.1 <bob@example.net>: user unknown",
                "Last-Attempt-Date", "Mon, 23 Nov 2026 18:59:00 +0000"), g.get(1));
    }

    @Test
    void returnedOriginalIsCopiedOctetForOctet() throws Exception {
        byte[] report = Reports.fixedBuilder().build(request(Kind.FAILURE, Ret.FULL, 1 << 20, failed("bob@example.net")));
        String s = new String(report, StandardCharsets.UTF_8);
        assertTrue(s.contains("Content-Type: message/rfc822\n\n" + ORIGINAL + "\n--=_dsn_T2--\n"), s);
        assertFalse(s.contains("\r"));
    }

    @Test
    void oneReportForMixedOutcomes() throws Exception {
        RecipientStatus delivered = new RecipientStatus("carol@example.com", null, Action.DELIVERED, "2.0.0",
                "mx.example.com", "250 2.0.0 Ok: queued as 4XJ2", NOW.minusSeconds(30), null);
        Message m = parse(Reports.fixedBuilder().build(
                request(Kind.FAILURE, Ret.HDRS, 1 << 20, failed("bob@example.net"), delivered)));

        List<Map<String, String>> g = groups(parts(m).get(1));
        assertEquals(3, g.size());
        assertEquals("failed", g.get(1).get("Action"));
        assertEquals("rfc822; bob@example.net", g.get(1).get("Final-Recipient"));
        assertEquals("delivered", g.get(2).get("Action"));
        assertEquals("2.0.0", g.get(2).get("Status"));
        assertEquals("rfc822; carol@example.com", g.get(2).get("Final-Recipient"));
        String text = new String(octets(parts(m).get(0)), StandardCharsets.US_ASCII);
        assertTrue(text.contains("<carol@example.com>: delivery via mx.example.com: 250 2.0.0 Ok"), text);
    }

    @Test
    void delayCarriesWillRetryUntil() throws Exception {
        RecipientStatus delayed = new RecipientStatus("bob@example.net", null, Action.DELAYED, "4.4.1",
                null, null, NOW.minusSeconds(300), ARRIVAL.plus(Duration.ofDays(5)));
        Message m = parse(Reports.fixedBuilder().build(request(Kind.DELAY, Ret.HDRS, 1 << 20, delayed)));

        assertEquals("Delayed Mail (still being retried)", m.getSubject());
        Map<String, String> r = groups(parts(m).get(1)).get(1);
        assertEquals("delayed", r.get("Action"));
        assertEquals("4.4.1", r.get("Status"));
        assertEquals("Sat, 28 Nov 2026 18:00:00 +0000", r.get("Will-Retry-Until"));
        assertNull(r.get("Remote-MTA"));
        assertNull(r.get("Diagnostic-Code"));
        String text = new String(octets(parts(m).get(0)), StandardCharsets.US_ASCII);
        assertTrue(text.contains("THIS IS A WARNING ONLY"), text);
        assertTrue(text.contains("could not be delivered for 1.0 hours"), text);
        assertTrue(text.contains("retried until Sat, 28 Nov 2026 18:00:00 +0000"), text);
    }

    @Test
    void retHdrsReturnsTheHeaderSectionOnly() throws Exception {
        Message m = parse(Reports.fixedBuilder().build(request(Kind.FAILURE, Ret.HDRS, 1 << 20, failed("bob@example.net"))));
        Entity third = parts(m).get(2);
        assertEquals("text/rfc822-headers", third.getMimeType());
        String headers = new String(octets(third), StandardCharsets.US_ASCII);
        assertEquals(ORIGINAL.substring(0, ORIGINAL.indexOf("\n\n") + 1), headers);
    }

    @Test
    void retFullOverTheLimitReturnsHeadersOnly() throws Exception {
        Message m = parse(Reports.fixedBuilder().build(request(Kind.FAILURE, Ret.FULL, 20, failed("bob@example.net"))));
        Entity third = parts(m).get(2);
        assertEquals("text/rfc822-headers", third.getMimeType());
        assertFalse(new String(octets(third), StandardCharsets.US_ASCII).contains("noon"));
        String text = new String(octets(parts(m).get(0)), StandardCharsets.US_ASCII);
        assertTrue(text.contains("larger than 20 bytes"), text);
    }

    @Test
    void envidAndOrcptArePassedThrough() throws Exception {
        RecipientStatus r = new RecipientStatus("bob@example.net", "rfc822;Bob+2Bsales@example.net", Action.FAILED,
                "5.1.1", null, null, null, null);
        DsnRequest req = new DsnRequest(Kind.FAILURE, "QQ314159+2Bx", "alice@example.org", ARRIVAL, List.of(r),
                Ret.HDRS, original(), 1 << 20);
        List<Map<String, String>> g = groups(parts(parse(Reports.fixedBuilder().build(req))).get(1));
        assertEquals("QQ314159+2Bx", g.get(0).get("Original-Envelope-Id"));
        assertEquals("rfc822;Bob+2Bsales@example.net", g.get(1).get("Original-Recipient"));
        assertEquals(List.of("Original-Recipient", "Final-Recipient", "Action", "Status"), List.copyOf(g.get(1).keySet()));
    }

    @Test
    void utf8RecipientMakesAGlobalDeliveryStatus() throws Exception {
        RecipientStatus r = new RecipientStatus("jürgen+x@bücher.example", null, Action.FAILED, "5.1.1",
                "mx.bücher.example", "550 5.1.1 unbekannt", null, null);
        Message m = parse(Reports.fixedBuilder().build(request(Kind.FAILURE, Ret.HDRS, 1 << 20, r)));
        List<Entity> parts = parts(m);
        assertEquals("message/global-delivery-status", parts.get(1).getMimeType());
        assertEquals("8bit", parts.get(1).getContentTransferEncoding());
        // RFC 6533 3: utf-8-addr-unitext escapes "+"
        assertEquals("utf-8; jürgen\\x{2B}x@bücher.example", groups(parts.get(1)).get(1).get("Final-Recipient"));
        assertEquals("utf-8", parts.get(0).getCharset());
        assertTrue(new String(octets(parts.get(0)), StandardCharsets.UTF_8).contains("<jürgen+x@bücher.example>"));
    }

    @Test
    void hostileTextCannotAddHeaderLines() throws Exception {
        String evil = "550 no\r\nBcc: victim@example.com\nX-Injected: 1\r\n\r\n--=_dsn_T2\nContent-Type: text/html";
        RecipientStatus r = new RecipientStatus("bob@example.net\r\nX-Injected: 2", "rfc822;x\nX-Injected: 3",
                Action.FAILED, "5.0.0", "mx\r\nX-Injected: 4", evil + " " + "A".repeat(3000), null, null);
        DsnRequest req = new DsnRequest(Kind.FAILURE, "id\nX-Injected: 5", "alice@example.org>\r\nBcc: x@y", ARRIVAL,
                List.of(r), Ret.HDRS, original(), 1 << 20);
        byte[] report = Reports.fixedBuilder().build(req);

        for (String line : new String(report, StandardCharsets.UTF_8).split("\n")) {
            assertTrue(line.getBytes(StandardCharsets.UTF_8).length <= 998, "line over 998 octets");
            assertFalse(line.startsWith("X-Injected") || line.startsWith("Bcc"), line);
        }
        Message m = parse(report);
        for (Field f : m.getHeader().getFields()) assertFalse(f.getName().equalsIgnoreCase("Bcc"), f.toString());
        List<Entity> parts = parts(m);
        assertEquals(3, parts.size(), "the diagnostic's fake delimiter made the builder pick another boundary");
        assertEquals("text/plain", parts.get(0).getMimeType());
        List<Map<String, String>> g = groups(parts.get(1));
        assertEquals(2, g.size());
        for (Map<String, String> group : g) assertFalse(group.containsKey("X-Injected") || group.containsKey("Bcc"), group.toString());
        assertTrue(g.get(1).get("Diagnostic-Code").startsWith("smtp; 550 no Bcc: victim@example.com X-Injected: 1 --=_dsn_T2"));
    }

    @Test
    void boundaryNeverOccursInTheReturnedMessage() throws Exception {
        String sneaky = "Subject: x\n\n--=_dsn_T2\nContent-Type: text/plain\n\nfake\n--=_dsn_T2--\n";
        DsnRequest req = new DsnRequest(Kind.FAILURE, null, "alice@example.org", ARRIVAL,
                List.of(failed("bob@example.net")), Ret.FULL, Reports.content(tmp, sneaky), 1 << 20);
        byte[] report = Reports.fixedBuilder().build(req);
        Message m = parse(report);
        assertTrue(m.getHeader().getField("Content-Type").getBody().contains("=_dsn_T3"));
        assertEquals(3, parts(m).size());
        assertTrue(new String(report, StandardCharsets.US_ASCII).contains("\n\n" + sneaky + "\n--=_dsn_T3--\n"));
    }

    @Test
    void writeToAndContentGiveTheSameOctetsAsBuild() throws Exception {
        DsnRequest req = request(Kind.SUCCESS, Ret.FULL, 1 << 20, new RecipientStatus("bob@example.net", null,
                Action.DELIVERED, "2.0.0", null, null, NOW, null));
        byte[] built = Reports.fixedBuilder().build(req);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reports.fixedBuilder().writeTo(req, out);
        assertEquals(new String(built, StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8));
        MessageContent c = Reports.fixedBuilder().content(req);
        assertEquals(built.length, c.size());
        assertEquals(new String(built, StandardCharsets.UTF_8).chars().filter(ch -> ch == '\n').count(), c.lines());
        assertEquals("Successful Mail Delivery Report", parse(built).getSubject());
    }

    @Test
    void randomBoundariesAndMessageIdsDiffer() throws Exception {
        DsnBuilder b = new DsnBuilder("mx.example.org", ZoneOffset.UTC);
        DsnRequest req = request(Kind.FAILURE, Ret.HDRS, 1 << 20, failed("bob@example.net"));
        Message one = parse(b.build(req));
        Message two = parse(b.build(req));
        assertFalse(one.getMessageId().equals(two.getMessageId()));
        assertFalse(one.getHeader().getField("Content-Type").getBody().equals(two.getHeader().getField("Content-Type").getBody()));
        assertEquals(3, parts(one).size());
    }

    @Test
    void rejectsReportsNoOneMayGet() {
        assertThrows(IllegalArgumentException.class, () -> new DsnRequest(Kind.FAILURE, null, "", ARRIVAL,
                List.of(failed("bob@example.net")), Ret.HDRS, original(), 0));
        assertThrows(IllegalArgumentException.class, () -> new RecipientStatus("bob@example.net", null,
                Action.FAILED, "5.1.1", null, null, null, NOW));
        assertThrows(IllegalArgumentException.class, () -> new RecipientStatus("bob@example.net", null,
                Action.FAILED, "550", null, null, null, null));
    }

}
