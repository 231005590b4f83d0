package org.mailroom.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** Encodes {@link Reply}s (RFC 1939 3: status indicator, CRLF line ends, byte-stuffed multi-line bodies). */
final class Pop3Writer {
    private Pop3Writer() {}

    static ByteBuf encode(Reply r, ByteBufAllocator alloc) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(r.status());
        if (r.code() != null) sb.append(" [").append(r.code().wire()).append(']');
        // RFC 5034 4: a challenge is "+" SP, even when empty; "+OK" alone is fine (RFC 1939 3).
        if (!r.text().isEmpty() || r.status().equals("+")) sb.append(' ').append(r.text());
        sb.append("\r\n");
        if (r.lines() != null) {
            for (String l : r.lines()) {
                if (l.startsWith(".")) sb.append('.'); // RFC 1939 3: byte-stuff the termination octet
                sb.append(l).append("\r\n");
            }
            sb.append(".\r\n");
        }
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(b.length).writeBytes(b);
    }
}
