package org.mailroom.smtp.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.mailroom.core.store.MessageContent;

/**
 * RFC 6409 8.2 and 8.3: a message submission server may add a missing {@code Message-ID:} and
 * {@code Date:}. Done only on listeners that require AUTH (submission, submissions); an MTA must
 * not change what it relays (RFC 5321 4.4 allows trace fields only). Only the header section is
 * looked at (up to the first empty line, RFC 5322 2.1); field names compare case-insensitively.
 * Blocking (the content may be spilled to disk): call it on the blocking executor.
 */
final class SubmissionHeaders {
    private static final DateTimeFormatter RFC5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private SubmissionHeaders() {}

    /** {@code content} with the missing fields prepended, or {@code content} itself. */
    static MessageContent complete(MessageContent content, String hostname, String queueId, Instant now)
            throws IOException {
        boolean[] seen = fields(content);
        StringBuilder add = new StringBuilder();
        if (!seen[0]) add.append("Message-ID: <").append(queueId).append('@').append(hostname).append(">\n");
        if (!seen[1]) add.append("Date: ").append(RFC5322.format(ZonedDateTime.ofInstant(now, ZoneId.systemDefault())))
                .append('\n');
        return add.length() == 0 ? content : content.prepend(add.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the header section has Message-ID: [0] and Date: [1]. */
    static boolean[] fields(MessageContent content) throws IOException {
        boolean[] seen = new boolean[2];
        try (InputStream in = new BufferedInputStream(content.open())) {
            StringBuilder name = new StringBuilder();
            boolean atStart = true;   // at the start of a line
            boolean inName = false;   // reading a field name
            int b;
            while ((b = in.read()) != -1) {
                if (atStart) {
                    if (b == '\n') break; // the empty line ends the header section
                    atStart = false;
                    inName = b != ' ' && b != '\t'; // continuation lines have no name
                    name.setLength(0);
                }
                if (b == '\n') {
                    atStart = true;
                    continue;
                }
                if (inName) {
                    if (b == ':') {
                        String n = name.toString().strip().toLowerCase(Locale.ROOT);
                        if (n.equals("message-id")) seen[0] = true;
                        if (n.equals("date")) seen[1] = true;
                        inName = false;
                    } else if (name.length() < 64) {
                        name.append((char) b);
                    }
                }
            }
        }
        return seen;
    }
}
