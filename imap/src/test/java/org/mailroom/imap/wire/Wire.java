package org.mailroom.imap.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: cuts a command as a client sends it (CRLFs, literals) into a {@link CommandText}. */
final class Wire {
    private Wire() {}

    /**
     * {@code wire} is the command as sent, without the final CRLF: lines separated by CRLF, each
     * line that ends with {@code {n}} / {@code ~{n}} followed by CRLF and n octets (of the UTF-8
     * encoding of {@code wire}).
     */
    static CommandText command(String wire) {
        byte[] b = wire.getBytes(StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        List<Literal> literals = new ArrayList<>();
        int pos = 0;
        while (true) {
            int eol = indexOfCrlf(b, pos);
            int lineEnd = eol < 0 ? b.length : eol;
            String line = new String(b, pos, lineEnd - pos, StandardCharsets.UTF_8);
            lines.add(line);
            if (eol < 0) {
                break;
            }
            LiteralMarker m = ImapReader.trailingLiteral(line);
            if (m == null) {
                throw new IllegalArgumentException("CRLF without literal in test command: " + wire);
            }
            int start = eol + 2;
            literals.add(Literal.of(Arrays.copyOfRange(b, start, start + (int) m.size())));
            pos = start + (int) m.size();
        }
        return new CommandText(lines, literals);
    }

    static Command parse(String wire) throws ImapSyntaxException {
        return ImapCommandParser.parse(command(wire)).command();
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
