package org.mailroom.delivery;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.SessionInfo;

/**
 * The trace header fields this server adds (RFC 5321 4.4, RFC 5322 3.6.7), with LF line ends as the
 * store keeps messages. {@code Received:} is added by every receiving server; {@code Return-Path:}
 * only at final delivery. Public for {@code delivery.queue.QueueWriter}, which adds Received: on
 * the way into the queue; not meant for use outside this module.
 */
public final class TraceHeaders {
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private TraceHeaders() {}

    /**
     * <pre>
     * Received: from client.example (client.example [192.0.2.1])
     *         by mx.example.org (Mailroom) with ESMTPS id 4XJ2K9ABCD
     *         (TLSv1.3 TLS_AES_128_GCM_SHA256)
     *         for &lt;alice@example.org&gt;; Mon, 23 Nov 2026 19:00:00 +0000
     * </pre>
     * {@code for} names the recipient only when there is one, so a message to several people does
     * not reveal the others (the Bcc case).
     */
    public static String received(Envelope env, String hostname, ZoneId zone) {
        SessionInfo s = env.session();
        if (s.localUser() != null) return receivedLocal(env, hostname, zone);
        StringBuilder sb = new StringBuilder("Received: from ");
        String helo = s.helo() == null ? "unknown" : sanitize(s.helo());
        sb.append(helo);
        if (s.client() != null) {
            sb.append(" ([").append(s.client().getAddress().getHostAddress()).append("])");
        }
        sb.append("\n\tby ").append(hostname).append(" (Mailroom) with ").append(s.protocol())
                .append(" id ").append(env.id());
        if (s.tls() != null) sb.append("\n\t(").append(sanitize(s.tls())).append(')');
        if (s.authUser() != null) sb.append("\n\t(authenticated as ").append(sanitize(s.authUser())).append(')');
        if (env.recipients().size() == 1) sb.append("\n\tfor <").append(sanitize(env.recipients().get(0))).append('>');
        sb.append("; ").append(RFC5322.format(ZonedDateTime.ofInstant(env.received(), zone))).append('\n');
        return sb.toString();
    }

    /**
     * A message a Unix user of this host handed to {@code sendmail}: there is no client host, so no
     * {@code from} clause (RFC 5321 4.4 makes it part of the SMTP form only); the comment names
     * the user as the kernel told it, as Postfix's pickup does:
     * <pre>
     * Received: by mx.example.org (Mailroom, from userid 1000 alice)
     *         id 4XJ2K9ABCD
     *         for &lt;bob@example.org&gt;; Mon, 23 Nov 2026 19:00:00 +0000
     * </pre>
     */
    private static String receivedLocal(Envelope env, String hostname, ZoneId zone) {
        SessionInfo.LocalUser u = env.session().localUser();
        StringBuilder sb = new StringBuilder("Received: by ").append(hostname).append(" (Mailroom, from userid ");
        if (u.uid() >= 0) sb.append(u.uid()).append(' ');
        // RFC 5322 3.2.2: a comment may not hold unbalanced parentheses or a lone backslash
        sb.append(sanitize(u.name()).replaceAll("[()\\\\]", "?")).append(")\n\tid ").append(env.id());
        if (env.recipients().size() == 1) sb.append("\n\tfor <").append(sanitize(env.recipients().get(0))).append('>');
        sb.append("; ").append(RFC5322.format(ZonedDateTime.ofInstant(env.received(), zone))).append('\n');
        return sb.toString();
    }

    public static String returnPath(String reversePath) {
        return "Return-Path: <" + sanitize(reversePath) + ">\n";
    }

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Nothing a client sent may break the header's structure: no line ends, no control characters. */
    private static String sanitize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
