package org.mailroom.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Outlook's POX Autodiscover (MS-OXDSCLI), and a parser that hostile XML cannot abuse. */
class AutodiscoverTest {
    static final String OUTLOOK_REQUEST = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request>
                <EMailAddress>alice@example.org</EMailAddress>
                <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
              </Request>
            </Autodiscover>
            """;

    private static byte[] bytes(String s) {
        return s.strip().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsOutlooksRequest() throws Exception {
        Autodiscover.Request r = Autodiscover.parse(bytes(OUTLOOK_REQUEST));
        assertEquals("alice@example.org", r.emailAddress());
        assertEquals(Autodiscover.OUTLOOK_NS, r.acceptableSchema());
        // without namespace and schema (some clients): still an address
        Autodiscover.Request bare = Autodiscover.parse(bytes("<Autodiscover><Request><EMailAddress> bob@example.org </EMailAddress></Request></Autodiscover>"));
        assertEquals("bob@example.org", bare.emailAddress());
        assertNull(bare.acceptableSchema());
    }

    @Test
    void refusesMalformedAndEmptyRequests() {
        for (String bad : List.of("", "not xml", "<Autodiscover><Request></Request></Autodiscover>",
                "<Autodiscover><EMailAddress>a@b</Autodiscover>")) {
            Autodiscover.Refused e = assertThrows(Autodiscover.Refused.class, () -> Autodiscover.parse(bytes(bad)), bad);
            assertEquals(600, e.code);
        }
    }

    @Test
    void refusesExternalEntities(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "root:x:0:0");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Autodiscover><Request><EMailAddress>&xxe;@example.org</EMailAddress></Request></Autodiscover>";
        Autodiscover.Refused e = assertThrows(Autodiscover.Refused.class, () -> Autodiscover.parse(bytes(xxe)));
        assertEquals(600, e.code);
        String external = "<?xml version=\"1.0\"?><!DOCTYPE Autodiscover SYSTEM \"" + secret.toUri() + "\">"
                + "<Autodiscover><Request><EMailAddress>a@example.org</EMailAddress></Request></Autodiscover>";
        assertThrows(Autodiscover.Refused.class, () -> Autodiscover.parse(bytes(external)));
    }

    @Test
    void refusesEntityExpansion() {
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY lol").append(i).append(" \"");
            for (int k = 0; k < 10; k++) laughs.append("&lol").append(i == 1 ? "" : Integer.toString(i - 1)).append(';');
            laughs.append("\">");
        }
        laughs.append("]><Autodiscover><Request><EMailAddress>&lol9;</EMailAddress></Request></Autodiscover>");
        assertThrows(Autodiscover.Refused.class, () -> Autodiscover.parse(bytes(laughs.toString())));
    }

    @Test
    void settingsForOutlook() throws Exception {
        List<MailEndpoint> eps = MailEndpoint.of(Map.of("imaps", List.of(993), "imap", List.of(143),
                "submissions", List.of(465), "submission", List.of(587)));
        Document d = AutoconfigTest.parse(Autodiscover.settings("alice@example.org", "mail.example.org", eps));
        Element root = d.getDocumentElement();
        assertEquals("Autodiscover", root.getLocalName());
        assertEquals(Autodiscover.RESPONSE_NS, root.getNamespaceURI());
        Element response = (Element) root.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Response").item(0);
        Element account = (Element) response.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Account").item(0);
        assertEquals("email", text(account, "AccountType"));
        assertEquals("settings", text(account, "Action"));
        NodeList protocols = account.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Protocol");
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < protocols.getLength(); i++) {
            Element p = (Element) protocols.item(i);
            assertEquals("mail.example.org", text(p, "Server"));
            assertEquals("alice@example.org", text(p, "LoginName"));
            assertEquals("off", text(p, "SPA"));
            assertEquals("on", text(p, "AuthRequired"));
            assertEquals("on", text(p, "SSL"));
            seen.add(text(p, "Type") + ":" + text(p, "Port") + ":" + text(p, "Encryption"));
        }
        assertEquals(List.of("IMAP:993:SSL", "IMAP:143:TLS", "SMTP:465:SSL", "SMTP:587:TLS"), seen);
    }

    @Test
    void errorResponse() throws Exception {
        Document d = AutoconfigTest.parse(Autodiscover.error(500, "The e-mail address cannot be found.",
                LocalTime.of(16, 19, 46, 823_322_000), "42"));
        Element error = (Element) d.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "Error").item(0);
        assertEquals("16:19:46.8233220", error.getAttribute("Time"));
        assertEquals("42", error.getAttribute("Id"));
        assertEquals("500", text(error, "ErrorCode"));
        assertTrue(text(error, "Message").contains("cannot be found"));
        assertEquals(1, error.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, "DebugData").getLength());
    }

    static String text(Element e, String name) {
        NodeList l = e.getElementsByTagNameNS(Autodiscover.OUTLOOK_NS, name);
        assertEquals(1, l.getLength(), name);
        return l.item(0).getTextContent();
    }
}
