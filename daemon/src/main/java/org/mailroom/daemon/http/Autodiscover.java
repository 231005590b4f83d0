package org.mailroom.daemon.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Outlook's "plain old XML" Autodiscover (MS-OXDSCLI; Exchange's POX reference): the request names
 * an {@code EMailAddress} and the response schema it accepts; the answer is an
 * {@code Account} with {@code AccountType email}, {@code Action settings} and one {@code Protocol}
 * per endpoint (IMAP, POP3, SMTP), or an {@code Error} (MS-OXDSCLI 2.2.4.1.1.3: 500 address not
 * found, 600 invalid request, 601 response schema not available).
 *
 * <p>The request comes from anyone on the network: it is parsed with DTDs refused outright (no
 * entity expansion, no external entities or schemas: XXE and "billion laughs" cannot happen) and
 * only after the HTTP layer limited it to {@link HttpInitializer#MAX_BODY} octets.
 */
final class Autodiscover {
    static final String REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006";
    static final String RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006";
    static final String OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a";

    /** What a request asked for. */
    record Request(String emailAddress, String acceptableSchema) {}

    /** A request that cannot be answered with settings; becomes an Error response. */
    static final class Refused extends Exception {
        final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private Autodiscover() {}

    /**
     * Reads {@code EMailAddress} and {@code AcceptableResponseSchema} (in any namespace; Outlook
     * versions differ) from the request body.
     *
     * @throws Refused 600 when the body is not well-formed XML, has a DOCTYPE, or names no address
     */
    static Request parse(byte[] body) throws Refused {
        Document doc;
        try {
            DocumentBuilder b = factory().newDocumentBuilder();
            b.setErrorHandler(SILENT); // the default handler prints to stderr
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused");
            });
            doc = b.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new Refused(600, "Invalid Request");
        }
        String email = text(doc, "EMailAddress");
        if (email == null || email.isEmpty()) throw new Refused(600, "Invalid Request");
        return new Request(email, text(doc, "AcceptableResponseSchema"));
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        // OWASP XXE prevention: no DOCTYPE at all makes every entity attack impossible
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    private static final ErrorHandler SILENT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException { throw e; }

        @Override
        public void fatalError(SAXParseException e) throws SAXException { throw e; }
    };

    private static String text(Document doc, String localName) {
        NodeList l = doc.getElementsByTagNameNS("*", localName);
        if (l.getLength() == 0) return null;
        Node n = l.item(0);
        return n.getTextContent() == null ? null : n.getTextContent().strip();
    }

    /** The settings for {@code email}: one Protocol per endpoint, best first. */
    static String settings(String email, String host, List<MailEndpoint> endpoints) {
        Xml x = new Xml();
        x.open("Autodiscover", "xmlns", RESPONSE_NS);
        x.open("Response", "xmlns", OUTLOOK_NS);
        x.open("User");
        x.element("DisplayName", email);
        x.element("AutoDiscoverSMTPAddress", email);
        x.close("User");
        x.open("Account");
        x.element("AccountType", "email");
        x.element("Action", "settings");
        for (MailEndpoint e : endpoints) {
            x.open("Protocol");
            x.element("Type", e.protocol().name());
            x.element("Server", host);
            x.element("Port", Integer.toString(e.port()));
            x.element("DomainRequired", "off");
            x.element("LoginName", email);
            x.element("SPA", "off"); // Secure Password Authentication is NTLM: not offered
            x.element("SSL", e.security() == MailEndpoint.Security.PLAIN ? "off" : "on");
            // POX reference, Encryption: overrides SSL when present; TLS is STARTTLS on a plain port
            x.element("Encryption", switch (e.security()) {
                case SSL -> "SSL";
                case STARTTLS -> "TLS";
                case PLAIN -> "None";
            });
            x.element("AuthRequired", "on");
            x.close("Protocol");
        }
        x.close("Account");
        x.close("Response");
        x.close("Autodiscover");
        return x.toString();
    }

    /** An Error response; {@code id} identifies the server as Exchange's hash of its name does. */
    static String error(int code, String message, LocalTime time, String id) {
        Xml x = new Xml();
        x.open("Autodiscover", "xmlns", RESPONSE_NS);
        x.open("Response", "xmlns", OUTLOOK_NS);
        x.open("Error", "Time", time.format(DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSS")), "Id", id);
        x.element("ErrorCode", Integer.toString(code));
        x.element("Message", message);
        x.element("DebugData", null);
        x.close("Error");
        x.close("Response");
        x.close("Autodiscover");
        return x.toString();
    }

    static LocalTime now() {
        return LocalTime.now(ZoneOffset.UTC);
    }
}
