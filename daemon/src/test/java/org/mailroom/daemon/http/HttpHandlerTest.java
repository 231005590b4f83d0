package org.mailroom.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.metrics.Metrics;

/** Routes, methods and limits of the HTTP listener, on an EmbeddedChannel. */
class HttpHandlerTest {
    private final BlockingExecutor blocking = new BlockingExecutor(2, 10);
    private final Metrics metrics = new Metrics();
    private final MailSite site = new MailSite("mail.example.org", List.of("example.org", "example.net"),
            MailEndpoint.of(Map.of("imaps", List.of(993), "submission", List.of(587))));

    @AfterEach
    void close() {
        blocking.close();
    }

    private EmbeddedChannel channel(boolean autoconfig, boolean withMetrics) {
        EmbeddedChannel ch = new EmbeddedChannel();
        new HttpInitializer("http", autoconfig ? () -> site : null, withMetrics ? metrics : null, blocking)
                .addHandlers(ch.pipeline());
        return ch;
    }

    /** Sends raw request text; returns what came back, as text. */
    private static String exchange(EmbeddedChannel ch, String request) throws InterruptedException {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 500 && out.length() == 0; i++) {
            ch.runPendingTasks(); // answers made on the blocking executor come back as event-loop tasks
            for (ByteBuf b; (b = ch.readOutbound()) != null; b.release()) out.append(b.toString(StandardCharsets.UTF_8));
            if (out.length() == 0) Thread.sleep(10);
        }
        return out.toString();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: autoconfig.example.org\r\n\r\n";
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void thunderbirdFindsItsFileAtBothPaths() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        for (String path : List.of(HttpHandler.AUTOCONFIG_WELL_KNOWN, HttpHandler.AUTOCONFIG)) {
            String r = exchange(ch, get(path + "?emailaddress=alice%40Example.org"));
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            assertTrue(r.contains("content-type: application/xml; charset=utf-8\r\n"), r);
            assertTrue(body(r).contains("<emailProvider id=\"example.org\">"), r);
            assertTrue(body(r).contains("<port>993</port>"), r);
        }
        assertTrue(ch.isOpen(), "keep-alive");
    }

    @Test
    void withoutAnAddressTheHostNamesTheDomain() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        String r = exchange(ch, get(HttpHandler.AUTOCONFIG));
        assertTrue(r.startsWith("HTTP/1.1 200 "), r);
        assertTrue(body(r).contains("<domain>example.org</domain>"), r);
    }

    @Test
    void otherDomainsAreNotAnswered() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        assertTrue(exchange(ch, get(HttpHandler.AUTOCONFIG + "?emailaddress=eve@example.com")).startsWith("HTTP/1.1 404 "));
        String r = exchange(ch, "GET /mail/config-v1.1.xml HTTP/1.1\r\nHost: autoconfig.example.com\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 404 "), r);
    }

    @Test
    void outlookPostsItsRequestToAnyLetterCase() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        byte[] req = AutodiscoverTest.OUTLOOK_REQUEST.strip().getBytes(StandardCharsets.UTF_8);
        String r = exchange(ch, "POST /Autodiscover/Autodiscover.xml HTTP/1.1\r\nHost: autodiscover.example.org\r\n"
                + "Content-Type: text/xml\r\nContent-Length: " + req.length + "\r\n\r\n" + AutodiscoverTest.OUTLOOK_REQUEST.strip());
        assertTrue(r.startsWith("HTTP/1.1 200 "), r);
        assertTrue(body(r).contains("<LoginName>alice@example.org</LoginName>"), r);
        assertTrue(body(r).contains("<Encryption>SSL</Encryption>"), r);
    }

    @Test
    void autodiscoverErrorsAreErrorElements() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        String foreign = AutodiscoverTest.OUTLOOK_REQUEST.strip().replace("alice@example.org", "eve@example.com");
        String r = exchange(ch, "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + foreign.length() + "\r\n\r\n" + foreign);
        assertTrue(body(r).contains("<ErrorCode>500</ErrorCode>"), r);
        String doctype = "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><Autodiscover><Request><EMailAddress>&e;</EMailAddress></Request></Autodiscover>";
        r = exchange(ch, "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + doctype.length() + "\r\n\r\n" + doctype);
        assertTrue(body(r).contains("<ErrorCode>600</ErrorCode>"), r);
        assertFalse(r.contains("root:"), r);
        String mobile = AutodiscoverTest.OUTLOOK_REQUEST.strip().replace("outlook/responseschema/2006a", "mobilesync/responseschema/2006");
        r = exchange(ch, "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + mobile.length() + "\r\n\r\n" + mobile);
        assertTrue(body(r).contains("<ErrorCode>601</ErrorCode>"), r);
    }

    @Test
    void methodsAndUnknownPaths() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        String r = exchange(ch, "DELETE " + HttpHandler.AUTOCONFIG + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 405 "), r);
        assertTrue(r.contains("allow: GET, HEAD\r\n"), r);
        assertTrue(exchange(ch, get("/index.html")).startsWith("HTTP/1.1 404 "));
        // metrics are not served unless given to this listener
        assertTrue(exchange(ch, get("/metrics")).startsWith("HTTP/1.1 404 "));
        r = exchange(ch, "HEAD " + HttpHandler.AUTOCONFIG + "?emailaddress=a@example.net HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 200 "), r);
        assertEquals("", body(r));
    }

    @Test
    void limits() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        String r = exchange(ch, "GET /" + "a".repeat(HttpInitializer.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 414 "), r);
        assertFalse(ch.isOpen());

        ch = channel(true, false);
        r = exchange(ch, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(HttpInitializer.MAX_HEADER_SIZE) + "\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 431 "), r);
        assertFalse(ch.isOpen());

        ch = channel(true, false);
        r = exchange(ch, "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (HttpInitializer.MAX_BODY + 1) + "\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 413 "), r);

        ch = channel(true, false);
        r = exchange(ch, "GET /mail/config-v1.1.xml?emailaddress=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 400 "), r);
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        EmbeddedChannel ch = channel(true, false);
        String r = exchange(ch, "GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(r.contains("connection: close\r\n"), r);
        assertFalse(ch.isOpen());
    }

    @Test
    void metricsWhenGivenToTheListener() throws Exception {
        metrics.counter("mailroom_test_total", "A test counter.").add(3);
        EmbeddedChannel ch = channel(false, true);
        String r = exchange(ch, get("/metrics"));
        assertTrue(r.startsWith("HTTP/1.1 200 "), r);
        assertTrue(r.contains("content-type: text/plain; version=0.0.4; charset=utf-8\r\n"), r);
        assertTrue(body(r).contains("# TYPE mailroom_test_total counter\nmailroom_test_total 3\n"), r);
        // a metrics-only listener serves no autoconfig
        assertTrue(exchange(ch, get(HttpHandler.AUTOCONFIG + "?emailaddress=a@example.org")).startsWith("HTTP/1.1 404 "));
    }
}
