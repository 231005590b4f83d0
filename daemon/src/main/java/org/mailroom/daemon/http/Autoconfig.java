package org.mailroom.daemon.http;

import java.util.List;

/**
 * Thunderbird's autoconfig file ({@code config-v1.1.xml}; format: Mozilla wiki
 * "Thunderbird:Autoconfiguration:ConfigFileFormat"). One {@code incomingServer} per IMAP and POP3
 * endpoint and one {@code outgoingServer} per submission endpoint, in the order of
 * {@link MailEndpoint#of}: Thunderbird takes the first of each kind it can use, so implicit TLS
 * comes first. The user name is the whole address ({@code %EMAILADDRESS%}, which Mailroom's
 * logins are), the authentication {@code password-cleartext}: PLAIN/LOGIN/USER inside TLS, which
 * is what Mailroom offers (no CRAM-MD5 or NTLM).
 */
final class Autoconfig {
    private Autoconfig() {}

    /**
     * @param domain    the local domain asked about (becomes {@code emailProvider id} and {@code domain})
     * @param host      the host name clients connect to ({@code autoconfig.hostname} or {@code hostname})
     * @param endpoints what is listening now
     */
    static String document(String domain, String host, List<MailEndpoint> endpoints) {
        Xml x = new Xml();
        x.open("clientConfig", "version", "1.1");
        x.open("emailProvider", "id", domain);
        x.element("domain", domain);
        x.element("displayName", "Mail for " + domain);
        x.element("displayShortName", domain);
        for (MailEndpoint e : endpoints) {
            if (e.protocol() == MailEndpoint.Protocol.SMTP) continue;
            server(x, "incomingServer", e.protocol() == MailEndpoint.Protocol.IMAP ? "imap" : "pop3", host, e);
        }
        for (MailEndpoint e : endpoints) {
            if (e.protocol() == MailEndpoint.Protocol.SMTP) server(x, "outgoingServer", "smtp", host, e);
        }
        x.close("emailProvider");
        x.close("clientConfig");
        return x.toString();
    }

    private static void server(Xml x, String element, String type, String host, MailEndpoint e) {
        x.open(element, "type", type);
        x.element("hostname", host);
        x.element("port", Integer.toString(e.port()));
        x.element("socketType", e.security().socketType());
        x.element("authentication", "password-cleartext");
        x.element("username", "%EMAILADDRESS%");
        x.close(element);
    }
}
