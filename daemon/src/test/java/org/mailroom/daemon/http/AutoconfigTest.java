package org.mailroom.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The file Thunderbird reads (Mozilla wiki, Thunderbird:Autoconfiguration:ConfigFileFormat). */
class AutoconfigTest {

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static String child(Element e, String name) {
        NodeList l = e.getElementsByTagName(name);
        assertEquals(1, l.getLength(), name + " in " + e.getTagName());
        return l.item(0).getTextContent();
    }

    static List<Map<String, String>> servers(Document d, String element) {
        List<Map<String, String>> out = new ArrayList<>();
        NodeList l = d.getElementsByTagName(element);
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            Map<String, String> m = new LinkedHashMap<>();
            m.put("type", e.getAttribute("type"));
            for (String c : List.of("hostname", "port", "socketType", "authentication", "username")) m.put(c, child(e, c));
            out.add(m);
        }
        return out;
    }

    private static final List<MailEndpoint> STANDARD = MailEndpoint.of(Map.of(
            "smtp", List.of(25), "submission", List.of(587), "submissions", List.of(465),
            "imap", List.of(143), "imaps", List.of(993), "pop3", List.of(110), "pop3s", List.of(995, 995)));

    @Test
    void everyEnabledListenerWithThunderbirdsFieldsAndValues() throws Exception {
        Document d = parse(Autoconfig.document("example.org", "mail.example.org", STANDARD));
        Element root = d.getDocumentElement();
        assertEquals("clientConfig", root.getTagName());
        assertEquals("1.1", root.getAttribute("version"));
        Element provider = (Element) root.getElementsByTagName("emailProvider").item(0);
        assertEquals("example.org", provider.getAttribute("id"));
        assertEquals("example.org", child(provider, "domain"));
        assertTrue(!child(provider, "displayName").isEmpty());

        List<Map<String, String>> in = servers(d, "incomingServer");
        assertEquals(List.of("imap:993:SSL", "imap:143:STARTTLS", "pop3:995:SSL", "pop3:110:STARTTLS"),
                in.stream().map(m -> m.get("type") + ":" + m.get("port") + ":" + m.get("socketType")).toList());
        List<Map<String, String>> out = servers(d, "outgoingServer");
        // port 25 (MTA) is not for clients
        assertEquals(List.of("smtp:465:SSL", "smtp:587:STARTTLS"),
                out.stream().map(m -> m.get("type") + ":" + m.get("port") + ":" + m.get("socketType")).toList());
        for (Map<String, String> m : concat(in, out)) {
            assertEquals("mail.example.org", m.get("hostname"));
            assertEquals("%EMAILADDRESS%", m.get("username"));
            assertEquals("password-cleartext", m.get("authentication"));
            // the only values Thunderbird knows
            assertTrue(Set.of("SSL", "STARTTLS", "plain").contains(m.get("socketType")), m.get("socketType"));
        }
    }

    @Test
    void onlyWhatListensIsAnnounced() throws Exception {
        Document d = parse(Autoconfig.document("example.org", "mx.example.org",
                MailEndpoint.of(Map.of("pop3", List.of(10110), "submission", List.of(10587)))));
        assertEquals(List.of("pop3:10110:STARTTLS"), servers(d, "incomingServer").stream()
                .map(m -> m.get("type") + ":" + m.get("port") + ":" + m.get("socketType")).toList());
        assertEquals(1, servers(d, "outgoingServer").size());
    }

    @Test
    void plainIsWrittenInThunderbirdsSpelling() {
        assertEquals("plain", MailEndpoint.Security.PLAIN.socketType());
        assertEquals("SSL", MailEndpoint.Security.SSL.socketType());
        assertEquals("STARTTLS", MailEndpoint.Security.STARTTLS.socketType());
    }

    @Test
    void escapesWhatItWrites() throws Exception {
        String x = new Xml().open("a", "v", "\"<&>'").element("b", "x\u0001y&z").close("a").toString();
        Document d = parse(x);
        assertEquals("\"<&>'", d.getDocumentElement().getAttribute("v"));
        assertEquals("x?y&z", d.getDocumentElement().getTextContent().strip());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
