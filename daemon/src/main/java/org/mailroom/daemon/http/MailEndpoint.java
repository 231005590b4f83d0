package org.mailroom.daemon.http;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mailroom.core.net.Listener;

/**
 * One way for a mail client to reach this server, as autoconfig and autodiscover describe it.
 *
 * @param protocol what the client speaks there
 * @param port     the port the listener is bound to
 * @param security how TLS starts on that port
 */
public record MailEndpoint(Protocol protocol, int port, Security security) {

    public enum Protocol { IMAP, POP3, SMTP }

    /** Thunderbird's {@code socketType} values, letter for letter. */
    public enum Security {
        /** TLS from the first octet (RFC 8314 implicit TLS: 993, 995, 465). */
        SSL("SSL"),
        /** Plain connect, then STARTTLS / STLS, required before the password. */
        STARTTLS("STARTTLS"),
        /** No TLS at all; never produced for Mailroom's listeners, which all offer TLS. */
        PLAIN("plain");

        private final String socketType;

        Security(String socketType) { this.socketType = socketType; }

        public String socketType() { return socketType; }
    }

    /**
     * The endpoints of the listeners that are bound now, best first for each protocol: implicit
     * TLS before STARTTLS (RFC 8314 3: clients should prefer implicit TLS), IMAP before POP3. The
     * MTA listener ({@code smtp}, port 25) is not one: clients submit on submission(s) (RFC 6409).
     * A listener bound on several addresses with one port counts once.
     */
    public static List<MailEndpoint> of(List<Listener> listeners) {
        Map<String, List<Integer>> ports = new LinkedHashMap<>();
        for (Listener l : listeners) {
            for (InetSocketAddress a : l.boundAddresses()) ports.computeIfAbsent(l.name(), k -> new ArrayList<>()).add(a.getPort());
        }
        return of(ports);
    }

    /** As {@link #of(List)}, from the bound ports by listener name. */
    static List<MailEndpoint> of(Map<String, List<Integer>> portsByListener) {
        List<MailEndpoint> out = new ArrayList<>();
        String[][] order = {
            {"imaps", "IMAP", "SSL"}, {"imap", "IMAP", "STARTTLS"},
            {"pop3s", "POP3", "SSL"}, {"pop3", "POP3", "STARTTLS"},
            {"submissions", "SMTP", "SSL"}, {"submission", "SMTP", "STARTTLS"},
        };
        for (String[] o : order) {
            // XXX the bound port is announced; behind a port-forwarding NAT the public one may differ
            for (int port : portsByListener.getOrDefault(o[0], List.of())) {
                MailEndpoint e = new MailEndpoint(Protocol.valueOf(o[1]), port, Security.valueOf(o[2]));
                if (!out.contains(e)) out.add(e);
            }
        }
        return out;
    }
}
