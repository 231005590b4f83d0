package org.mailroom.imap.search;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Seeded random MIME messages for differential and concurrency tests: single parts and nested
 * multiparts, text/plain and text/html in several charsets and transfer encodings, binary
 * attachments, LF or CRLF line ends. Words come from {@link #WORDS}, some of them non-ASCII.
 */
final class RandomMessages {

    static final String[] WORDS = {
        "alpha", "bravo", "Charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
        "café", "naïve", "Grüße", "DÉJÀ", "€uro", "\u201cquote\u201d", "Ωmega", "σοφία", "ΣΟΦΊΑ", "straße",
        "kilo", "lima", "mike", "=equals", "under_score", "tab\tbed",
    };

    private static final String[] CHARSETS = {"utf-8", "iso-8859-1", "windows-1252", "us-ascii", "UTF-8"};
    private static final String[] ENCODINGS = {"7bit", "8bit", "quoted-printable", "base64", ""};

    private final Random rnd;
    private int boundaries;

    RandomMessages(long seed) {
        this.rnd = new Random(seed);
    }

    byte[] next() {
        StringBuilder sb = new StringBuilder();
        sb.append("From: ").append(word(StandardCharsets.US_ASCII)).append(" <x@example.com>\n");
        sb.append("Subject: ").append(word(StandardCharsets.US_ASCII)).append(' ').append(word(StandardCharsets.US_ASCII)).append('\n');
        sb.append("MIME-Version: 1.0\n");
        List<byte[]> chunks = new ArrayList<>();
        entity(sb, chunks, 0);
        byte[] raw = join(sb, chunks);
        if (rnd.nextBoolean()) {
            String s = new String(raw, StandardCharsets.ISO_8859_1).replace("\n", "\r\n");
            raw = s.getBytes(StandardCharsets.ISO_8859_1);
        }
        return raw;
    }

    /** Writes header fields (no leading header) and body of one entity into sb/chunks. */
    private void entity(StringBuilder sb, List<byte[]> chunks, int depth) {
        int pick = rnd.nextInt(10);
        if (depth < 2 && pick < 4) {
            String boundary = "=_b" + (boundaries++) + "_" + Integer.toHexString(rnd.nextInt());
            String sub = rnd.nextBoolean() ? "mixed" : "alternative";
            sb.append("Content-Type: multipart/").append(sub).append("; boundary=\"").append(boundary).append("\"\n\n");
            sb.append("preamble ").append(word(StandardCharsets.US_ASCII)).append('\n');
            int parts = 1 + rnd.nextInt(3);
            for (int i = 0; i < parts; i++) {
                sb.append("--").append(boundary).append('\n');
                entity(sb, chunks, depth + 1);
                sb.append('\n');
            }
            sb.append("--").append(boundary).append("--\n");
            if (rnd.nextBoolean()) {
                sb.append("epilogue ").append(word(StandardCharsets.US_ASCII)).append('\n');
            }
        } else if (pick < 5) {
            sb.append("Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n");
            sb.append(Base64.getMimeEncoder(76, new byte[] {'\n'})
                    .encodeToString(text(StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
            sb.append('\n');
        } else {
            String charsetName = CHARSETS[rnd.nextInt(CHARSETS.length)];
            Charset charset = charsetName.equalsIgnoreCase("us-ascii") ? StandardCharsets.US_ASCII : Charset.forName(charsetName);
            String encoding = ENCODINGS[rnd.nextInt(ENCODINGS.length)];
            if (charset == StandardCharsets.US_ASCII && encoding.equals("8bit")) {
                encoding = "7bit";
            }
            String type = rnd.nextInt(4) == 0 ? "text/html" : "text/plain";
            sb.append("Content-Type: ").append(type).append("; charset=").append(charsetName).append('\n');
            if (!encoding.isEmpty()) {
                sb.append("Content-Transfer-Encoding: ").append(encoding).append('\n');
            }
            sb.append('\n');
            String text = text(charset);
            if (type.equals("text/html")) {
                text = "<p>" + text + "</p>";
            }
            byte[] octets = text.getBytes(charset);
            switch (encoding) {
                case "quoted-printable" -> sb.append(qp(octets));
                case "base64" -> sb.append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(octets));
                default -> {
                    chunks.add(octets); // raw octets, spliced in at the marker
                    sb.append("\u0000").append(chunks.size() - 1).append("\u0000");
                }
            }
            sb.append('\n');
        }
    }

    private static byte[] join(StringBuilder sb, List<byte[]> chunks) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String s = sb.toString();
        int i = 0;
        while (i < s.length()) {
            int marker = s.indexOf('\u0000', i);
            if (marker < 0) {
                out.writeBytes(s.substring(i).getBytes(StandardCharsets.US_ASCII));
                break;
            }
            out.writeBytes(s.substring(i, marker).getBytes(StandardCharsets.US_ASCII));
            int end = s.indexOf('\u0000', marker + 1);
            out.writeBytes(chunks.get(Integer.parseInt(s.substring(marker + 1, end))));
            i = end + 1;
        }
        return out.toByteArray();
    }

    private String text(Charset charset) {
        StringBuilder t = new StringBuilder();
        int words = 3 + rnd.nextInt(40);
        for (int i = 0; i < words; i++) {
            t.append(word(charset));
            t.append(rnd.nextInt(8) == 0 ? "\n" : " ");
        }
        return t.toString();
    }

    private String word(Charset charset) {
        while (true) {
            String w = WORDS[rnd.nextInt(WORDS.length)];
            if (charset.newEncoder().canEncode(w)) {
                return w;
            }
        }
    }

    /** RFC 2045 6.7 quoted-printable with soft breaks at 60 columns. */
    private static String qp(byte[] octets) {
        StringBuilder out = new StringBuilder();
        int col = 0;
        for (byte b : octets) {
            int c = b & 0xff;
            String piece;
            if (c == '\n') {
                out.append('\n');
                col = 0;
                continue;
            }
            if ((c >= 33 && c <= 126 && c != '=') || c == ' ') {
                piece = String.valueOf((char) c);
            } else {
                piece = String.format("=%02X", c);
            }
            if (col + piece.length() > 60) {
                out.append("=\n");
                col = 0;
            }
            out.append(piece);
            col += piece.length();
        }
        return out.toString();
    }
}
