package org.mailroom.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mailroom.core.store.MessageContent;

/**
 * The addresses of the {@code From:} field (RFC 5322 3.6.2) of a message, for sender binding.
 * Reads the header section only (at most 256 KiB); unfolds; takes each {@code <addr-spec>} of a
 * name-addr, or the bare addr-specs of a mailbox-list; comments and display names are skipped.
 */
final class HeaderAddresses {
    private static final int MAX_HEADER = 256 * 1024;

    private HeaderAddresses() {}

    static List<String> from(MessageContent content) throws IOException {
        String header = headerSection(content);
        List<String> out = new ArrayList<>();
        String[] lines = header.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (!line.toLowerCase(Locale.ROOT).startsWith("from:")) continue;
            StringBuilder value = new StringBuilder(line.substring(5));
            while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                    && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                value.append(' ').append(lines[++i].trim());
            }
            out.addAll(addresses(value.toString()));
        }
        return out;
    }

    static List<String> addresses(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int comment = 0;
        String angle = null;
        for (int i = 0; i <= value.length(); i++) {
            char c = i < value.length() ? value.charAt(i) : ',';
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            if (comment > 0) {
                if (c == '(') comment++;
                else if (c == ')') comment--;
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '(' -> comment++;
                case '<' -> {
                    int end = value.indexOf('>', i);
                    if (end < 0) end = value.length();
                    angle = value.substring(i + 1, end).trim();
                    i = end;
                }
                case ',' -> {
                    String a = angle != null ? angle : cur.toString().trim();
                    if (a.indexOf('@') > 0) out.add(a.toLowerCase(Locale.ROOT));
                    cur.setLength(0);
                    angle = null;
                }
                default -> cur.append(c);
            }
        }
        return out;
    }

    private static String headerSection(MessageContent content) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (InputStream in = content.open()) {
            int prev = -1, c;
            while ((c = in.read()) >= 0 && b.size() < MAX_HEADER) {
                if (c == '\n' && prev == '\n') break;
                if (c != '\r') {
                    b.write(c);
                    prev = c;
                }
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
