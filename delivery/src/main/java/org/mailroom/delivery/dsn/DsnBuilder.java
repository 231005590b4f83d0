package org.mailroom.delivery.dsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.mailroom.core.store.MessageContent;
import org.mailroom.delivery.dsn.DsnRequest.Kind;

/**
 * Builds a delivery status notification (RFC 3464) as a {@code multipart/report} message (RFC
 * 6522) with LF line ends, the form the queue stores:
 * <ol>
 * <li>{@code text/plain}: what happened, for people, in Postfix's words;
 * <li>{@code message/delivery-status} (or {@code message/global-delivery-status} when a value is
 * not ASCII, RFC 6533 3): the per-message and per-recipient fields;
 * <li>the original: {@code message/rfc822} when RET=FULL and it is at most {@code
 * maxReturnedSize} octets, else {@code text/rfc822-headers} with its header section (RFC 3461
 * 4.3, RFC 6522 3); {@code message/global}/{@code message/global-headers} when its header section
 * is UTF-8 (RFC 6533 6.3).
 * </ol>
 *
 * <p>The original is read twice, streamed: once to measure it and make sure no line of it starts
 * with the boundary, once to copy it. It is never held in memory apart from the result of {@link
 * #build}. Thread-safe: one builder serves the whole queue.
 */
public final class DsnBuilder {
    private static final DateTimeFormatter RFC5322_DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US); // RFC 5322 3.3
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A fresh boundary is all but certain to be new; give up on a content built to defeat it. */
    private static final int BOUNDARY_TRIES = 8;

    private final String hostname;
    private final ZoneId zone;
    private final Clock clock;
    private final Supplier<String> unique;

    /**
     * @param reportingMtaHostname this server's name: Reporting-MTA (RFC 3464 2.2.2), the From
     *     address's domain and the Message-ID's right-hand side
     * @param zone the zone dates are written in
     */
    public DsnBuilder(String reportingMtaHostname, ZoneId zone) {
        this(reportingMtaHostname, zone, Clock.systemUTC(), DsnBuilder::randomToken);
    }

    /**
     * For tests: a fixed clock and a supplier of unique tokens (called once for the Message-ID,
     * then once per boundary tried), so the output is the same octets every time.
     */
    DsnBuilder(String reportingMtaHostname, ZoneId zone, Clock clock, Supplier<String> unique) {
        this.hostname = FieldText.clean(Objects.requireNonNull(reportingMtaHostname));
        this.zone = Objects.requireNonNull(zone);
        this.clock = Objects.requireNonNull(clock);
        this.unique = Objects.requireNonNull(unique);
    }

    /**
     * The whole report as one array.
     *
     * <p>XXX a byte[] until QueueWriter takes a stream: a returned original up to {@code
     * maxReturnedSize} sits in memory once, inside the result (the array is allocated at its exact
     * size and the original read straight into it, never buffered twice). {@link #writeTo} has no
     * such cost.
     *
     * @throws IOException reading the original
     * @throws IllegalStateException the report would not fit an array, or the original changed
     *     between the two reads
     */
    public byte[] build(DsnRequest r) throws IOException {
        Plan p = plan(r);
        long total = p.head.length + p.returned.length() + (long) p.tail.length;
        if (total > Integer.MAX_VALUE - 16) throw new IllegalStateException("report too large for an array: " + total);
        byte[] out = new byte[(int) total];
        System.arraycopy(p.head, 0, out, 0, p.head.length);
        int len = (int) p.returned.length();
        try (InputStream in = r.original().open()) {
            if (in.readNBytes(out, p.head.length, len) != len) throw new IllegalStateException("original shrank while read");
        }
        System.arraycopy(p.tail, 0, out, p.head.length + len, p.tail.length);
        return out;
    }

    /** {@link #build} as content ready for the queue. */
    public MessageContent content(DsnRequest r) throws IOException {
        return new Built(build(r));
    }

    /** Streams the report to {@code out} (not closed); the original is copied, not buffered. */
    public void writeTo(DsnRequest r, OutputStream out) throws IOException {
        Plan p = plan(r);
        out.write(p.head);
        try (InputStream in = r.original().open()) {
            long left = p.returned.length();
            byte[] buf = new byte[65536];
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) throw new IllegalStateException("original shrank while read");
                out.write(buf, 0, n);
                left -= n;
            }
        }
        out.write(p.tail);
    }

    /** Everything but the returned octets of the original, and how many of those follow. */
    private record Plan(byte[] head, Returned returned, byte[] tail) {}

    private Plan plan(DsnRequest r) throws IOException {
        Instant now = clock.instant();
        boolean full = r.ret() == DsnRequest.Ret.FULL && r.original().size() <= r.maxReturnedSize();
        boolean trimmed = r.ret() == DsnRequest.Ret.FULL && !full;
        byte[] text = utf8(Explanation.text(r, hostname, now, trimmed ? r.maxReturnedSize() : -1, this::date));
        String status = statusFields(r);
        byte[] statusBytes = utf8(status);
        String messageId = "<" + unique.get() + "@" + hostname + ">";

        String boundary = null;
        Returned returned = null;
        for (int i = 0; i < BOUNDARY_TRIES && returned == null; i++) {
            boundary = "=_dsn_" + FieldText.clean(unique.get()).replaceAll("[^0-9A-Za-z'()+_,./:=?-]", "_");
            byte[] delimiter = utf8("--" + boundary);
            Returned ret = Returned.scan(r.original(), full, delimiter);
            if (!ret.delimiterFound() && !startsLine(text, delimiter) && !startsLine(statusBytes, delimiter)) returned = ret;
        }
        if (returned == null) throw new IllegalStateException("no boundary found that the content lacks");

        boolean textUtf8 = !FieldText.isAscii(new String(text, StandardCharsets.UTF_8));
        boolean statusUtf8 = !FieldText.isAscii(status);
        StringBuilder h = new StringBuilder(2048);
        h.append(FieldText.field("From", "Mail Delivery System <MAILER-DAEMON@" + hostname + ">"));
        h.append(FieldText.field("To", "<" + r.originalSender() + ">"));
        h.append(FieldText.field("Subject", subject(r.kind())));
        h.append(FieldText.field("Date", date(now)));
        h.append(FieldText.field("Message-ID", messageId));
        h.append("Auto-Submitted: auto-replied\n"); // RFC 3834 5, RFC 3461 6.2
        h.append("MIME-Version: 1.0\n");
        h.append("Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"")
                .append(boundary).append("\"\n");
        if (textUtf8 || statusUtf8 || returned.eightBit()) h.append("Content-Transfer-Encoding: 8bit\n"); // RFC 2045 6.4
        h.append("\nThis is a MIME-encapsulated message.\n"); // preamble, RFC 2046 5.1.1

        h.append("\n--").append(boundary).append('\n');
        h.append("Content-Description: Notification\n");
        h.append("Content-Type: text/plain; charset=").append(textUtf8 ? "utf-8" : "us-ascii").append('\n');
        if (textUtf8) h.append("Content-Transfer-Encoding: 8bit\n");
        h.append('\n').append(new String(text, StandardCharsets.UTF_8));

        h.append("\n--").append(boundary).append('\n');
        h.append("Content-Description: Delivery report\n");
        h.append("Content-Type: message/").append(statusUtf8 ? "global-delivery-status" : "delivery-status").append('\n');
        if (statusUtf8) h.append("Content-Transfer-Encoding: 8bit\n");
        h.append('\n').append(status);

        h.append("\n--").append(boundary).append('\n');
        String what = switch (r.kind()) {
            case FAILURE -> "Undelivered Message";
            case DELAY -> "Delayed Message";
            case SUCCESS -> "Delivered Message";
        };
        h.append("Content-Description: ").append(what).append(returned.full() ? "" : " Headers").append('\n');
        String type = returned.full()
                ? (returned.headersEightBit() ? "message/global" : "message/rfc822")
                : (returned.headersEightBit() ? "message/global-headers" : "text/rfc822-headers");
        h.append("Content-Type: ").append(type).append('\n');
        if (returned.eightBit()) h.append("Content-Transfer-Encoding: 8bit\n");
        h.append('\n');
        // The LF before a delimiter belongs to it (RFC 2046 5.1.1), so the part holds exactly the
        // original's octets.
        return new Plan(utf8(h.toString()), returned, utf8("\n--" + boundary + "--\n"));
    }

    /** The {@code message/delivery-status} body (RFC 3464 2.1), LF line ends. */
    private String statusFields(DsnRequest r) {
        StringBuilder s = new StringBuilder(512);
        s.append(FieldText.field("Reporting-MTA", "dns; " + hostname)); // RFC 3464 2.2.2
        if (r.envelopeId() != null) s.append(FieldText.field("Original-Envelope-Id", r.envelopeId())); // 2.2.1
        s.append(FieldText.field("Arrival-Date", date(r.arrival()))); // 2.2.5
        for (RecipientStatus rs : r.recipients()) {
            s.append('\n'); // RFC 3464 2.1: each recipient's group after an empty line
            if (rs.originalRecipient() != null) s.append(FieldText.field("Original-Recipient", rs.originalRecipient())); // 2.3.1
            String rcpt = FieldText.clean(rs.finalRecipient());
            s.append(FieldText.field("Final-Recipient", FieldText.isAscii(rcpt)
                    ? "rfc822; " + rcpt
                    : "utf-8; " + FieldText.unitext(rcpt))); // 2.3.2, RFC 6533 3
            s.append(FieldText.field("Action", rs.action().field())); // 2.3.3
            s.append(FieldText.field("Status", rs.status())); // 2.3.4
            if (rs.remoteMta() != null) s.append(FieldText.field("Remote-MTA", "dns; " + rs.remoteMta())); // 2.3.5
            if (rs.diagnostic() != null) s.append(FieldText.field("Diagnostic-Code", "smtp; " + rs.diagnostic())); // 2.3.6
            if (rs.lastAttempt() != null) s.append(FieldText.field("Last-Attempt-Date", date(rs.lastAttempt()))); // 2.3.7
            if (rs.willRetryUntil() != null) s.append(FieldText.field("Will-Retry-Until", date(rs.willRetryUntil()))); // 2.3.8
        }
        return s.toString();
    }

    static String subject(Kind kind) {
        return switch (kind) {
            case FAILURE -> "Undelivered Mail Returned to Sender";
            case DELAY -> "Delayed Mail (still being retried)";
            case SUCCESS -> "Successful Mail Delivery Report";
        };
    }

    private String date(Instant t) {
        return RFC5322_DATE.format(ZonedDateTime.ofInstant(t, zone));
    }

    private static boolean startsLine(byte[] text, byte[] delimiter) throws IOException {
        return Returned.scan(new Built(text), true, delimiter).delimiterFound();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String randomToken() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A built report: in memory, LF line ends. */
    private record Built(byte[] bytes) implements MessageContent {
        @Override
        public long size() { return bytes.length; }

        @Override
        public long lines() {
            long n = 0;
            for (byte b : bytes) if (b == '\n') n++;
            return n;
        }

        @Override
        public InputStream open() { return new ByteArrayInputStream(bytes); }
    }
}
