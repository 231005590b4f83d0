package org.mailroom.imap.message;

import java.nio.charset.StandardCharsets;

/** Test messages: written with LF, offered in both stored forms. */
final class Mail {

    private Mail() {}

    static byte[] lf(String text) {
        return text.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * A body of exactly {@code octets} octets in the CRLF view with {@code lines} line ends, all but
     * the last line of 30 characters; ends with a line end when {@code endsWithEol}.
     */
    static String body(int octets, int lines, char fill) {
        int chars = octets - 2 * lines;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            int n = i == lines - 1 ? chars : Math.min(30, chars);
            sb.append(String.valueOf(fill).repeat(n)).append('\n');
            chars -= n;
        }
        sb.append(String.valueOf(fill).repeat(chars));
        return sb.toString();
    }
}
