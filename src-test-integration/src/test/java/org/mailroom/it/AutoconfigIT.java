package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 7, parts 4 and 5 against the real daemon: Thunderbird autoconfig and Outlook autodiscover
 * over HTTP (java.net.http and curl, HTTPS with curl), built from the listeners that are bound;
 * {@code /metrics} counting a login, a delivery and connections; {@code mailroom status}.
 */
class AutoconfigIT {
    @TempDir
    Path dir;
    MailroomProcess mailroom;
    int https;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeEach
    void start() throws Exception {
        https = MailroomProcess.freePort();
        // imap is not bound in this daemon yet: pop3 and submission must be what is announced
        mailroom = new MailroomProcess(dir, "autoconfig.hostname = mail.example.test", "metrics.enabled = true",
                "https.listen = 127.0.0.1:" + https);
        mailroom.addUser("alice@example.test", "alice-secret");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + mailroom.port("http") + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Document xml(String body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** type:hostname:port:socketType of each incomingServer / outgoingServer. */
    private static List<String> servers(Document d, String element) {
        List<String> out = new ArrayList<>();
        NodeList l = d.getElementsByTagName(element);
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            out.add(e.getAttribute("type") + ":" + text(e, "hostname") + ":" + text(e, "port") + ":" + text(e, "socketType")
                    + ":" + text(e, "username"));
        }
        return out;
    }

    private static String text(Element e, String name) {
        return e.getElementsByTagNameNS("*", name).item(0).getTextContent();
    }

    @Test
    void thunderbirdAutoconfigFromTheLiveListeners() throws Exception {
        HttpResponse<String> r = get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40example.test");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/xml"));
        Document d = xml(r.body());
        assertEquals("1.1", d.getDocumentElement().getAttribute("version"));
        assertEquals("example.test", ((Element) d.getElementsByTagName("emailProvider").item(0)).getAttribute("id"));
        assertEquals(List.of(
                "imap:mail.example.test:" + mailroom.port("imaps") + ":SSL:%EMAILADDRESS%",
                "imap:mail.example.test:" + mailroom.port("imap") + ":STARTTLS:%EMAILADDRESS%",
                "pop3:mail.example.test:" + mailroom.port("pop3s") + ":SSL:%EMAILADDRESS%",
                "pop3:mail.example.test:" + mailroom.port("pop3") + ":STARTTLS:%EMAILADDRESS%"),
                servers(d, "incomingServer"));
        assertEquals(List.of(
                "smtp:mail.example.test:" + mailroom.port("submissions") + ":SSL:%EMAILADDRESS%",
                "smtp:mail.example.test:" + mailroom.port("submission") + ":STARTTLS:%EMAILADDRESS%"),
                servers(d, "outgoingServer"));

        assertEquals(200, get("/mail/config-v1.1.xml?emailaddress=alice@example.test").statusCode());
        assertEquals(404, get("/mail/config-v1.1.xml?emailaddress=eve@example.com").statusCode());
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void curlOverHttpAndHttps() throws Exception {
        String plain = MailroomProcess.exec(Duration.ofSeconds(30), null, "curl", "-sS", "--fail",
                url("/mail/config-v1.1.xml?emailaddress=alice@example.test"));
        assertTrue(plain.contains("<clientConfig version=\"1.1\">"), plain);
        // the https listener uses the mail certificate (self-signed here, hence -k)
        String tls = MailroomProcess.exec(Duration.ofSeconds(30), null, "curl", "-sS", "--fail", "-k",
                "https://127.0.0.1:" + https + "/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice@example.test");
        assertTrue(tls.contains("<socketType>SSL</socketType>"), tls);
        // /metrics is served on http.listen only
        String onHttps = MailroomProcess.exec(Duration.ofSeconds(30), null, "curl", "-sk", "-o", "/dev/null",
                "-w", "%{http_code}", "https://127.0.0.1:" + https + "/metrics");
        assertEquals("404", onHttps.strip());
    }

    @Test
    void outlookAutodiscover() throws Exception {
        String request = """
                <?xml version="1.0" encoding="utf-8"?>
                <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                  <Request>
                    <EMailAddress>alice@example.test</EMailAddress>
                    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                  </Request>
                </Autodiscover>""";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/Autodiscover/Autodiscover.xml")))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(request))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        Document d = xml(r.body());
        NodeList protocols = d.getElementsByTagNameNS("*", "Protocol");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < protocols.getLength(); i++) {
            Element p = (Element) protocols.item(i);
            assertEquals("alice@example.test", text(p, "LoginName"));
            seen.add(text(p, "Type") + ":" + text(p, "Server") + ":" + text(p, "Port") + ":" + text(p, "Encryption"));
        }
        assertEquals(List.of("IMAP:mail.example.test:" + mailroom.port("imaps") + ":SSL",
                "IMAP:mail.example.test:" + mailroom.port("imap") + ":TLS",
                "POP3:mail.example.test:" + mailroom.port("pop3s") + ":SSL",
                "POP3:mail.example.test:" + mailroom.port("pop3") + ":TLS",
                "SMTP:mail.example.test:" + mailroom.port("submissions") + ":SSL",
                "SMTP:mail.example.test:" + mailroom.port("submission") + ":TLS"), seen);

        // a DOCTYPE with an external entity is refused without being read
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Autodiscover><Request><EMailAddress>&x;</EMailAddress></Request></Autodiscover>";
        r = http.send(HttpRequest.newBuilder(URI.create(url("/autodiscover/autodiscover.xml")))
                .POST(HttpRequest.BodyPublishers.ofString(hostile)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.body().contains("<ErrorCode>600</ErrorCode>"), r.body());
        assertTrue(!r.body().contains("root:"), r.body());
    }

    @Test
    void metricsAndStatusCountWhatHappened() throws Exception {
        // one local delivery over SMTP, one POP3 login
        try (Raw smtp = new Raw(mailroom.port("smtp"))) {
            assertTrue(smtp.reply().startsWith("220"));
            assertTrue(smtp.send("EHLO client.example.net\r\n").reply().startsWith("250"));
            assertTrue(smtp.send("MAIL FROM:<bob@remote.example>\r\n").reply().startsWith("250"));
            assertTrue(smtp.send("RCPT TO:<alice@example.test>\r\n").reply().startsWith("250"));
            assertTrue(smtp.send("DATA\r\n").reply().startsWith("354"));
            assertTrue(smtp.send("Subject: hi\r\n\r\nhello\r\n.\r\n").reply().startsWith("250"));
            smtp.send("QUIT\r\n").reply();
        }
        try (Raw pop = new Raw(mailroom.port("pop3"))) {
            assertTrue(pop.line().startsWith("+OK"));
            assertTrue(pop.send("USER alice@example.test\r\n").line().startsWith("+OK"));
            assertTrue(pop.send("PASS alice-secret\r\n").line().startsWith("+OK"));
            pop.send("QUIT\r\n").line();
        }
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        String m = r.body();
        assertTrue(m.contains("mailroom_smtp_transactions_total{listener=\"smtp\",result=\"accepted\"} 1\n"), m);
        assertTrue(m.contains("mailroom_deliveries_total{status=\"sent\",relay=\"local\"} 1\n"), m);
        assertTrue(m.contains("mailroom_logins_total{service=\"pop3\",result=\"ok\"} 1\n"), m);
        assertTrue(m.contains("mailroom_connections_total{listener=\"smtp\"} "), m);
        assertTrue(m.contains("mailroom_queue_messages{state=\"deferred\"} 0\n"), m);
        assertTrue(m.contains("# TYPE mailroom_uptime_seconds gauge\n"), m);

        MailroomProcess.CliResult s = mailroom.run("", "status");
        assertEquals(0, s.exit(), s.err());
        assertTrue(s.out().contains("queue       incoming 0, active 0, deferred 0, hold 0, corrupt 0"), s.out());
        assertTrue(s.out().contains("deliveries  last minute: 1 sent, 0 deferred, 0 bounced"), s.out());
        assertTrue(s.out().matches("(?s).*listener    http +127\\.0\\.0\\.1:" + mailroom.port("http") + " .*"), s.out());
        assertTrue(s.out().matches("(?s).*listener    pop3s +127\\.0\\.0\\.1:" + mailroom.port("pop3s") + " +0 open .*"), s.out());
    }
}
