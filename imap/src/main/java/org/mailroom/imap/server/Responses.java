package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * The few response lines the session writes itself (RFC 9051 7: status responses and
 * continuation requests). Texts come from the server, never from the client, so they need no
 * quoting; CR and LF are replaced all the same, so no text can ever end a line early.
 * XXX: the rich responses (FETCH, LIST, literals) belong to {@code wire.ImapWriter}.
 */
final class Responses {
    private Responses() {}

    /** {@code line} CRLF, UTF-8. */
    static ByteBuf line(ByteBufAllocator alloc, String line) {
        String safe = line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 ? line.replace('\r', ' ').replace('\n', ' ') : line;
        ByteBuf b = alloc.buffer(ByteBufUtil.utf8MaxBytes(safe) + 2);
        ByteBufUtil.writeUtf8(b, safe);
        b.writeByte('\r').writeByte('\n');
        return b;
    }

    /** {@code <tag> <status> [<code>] <text>}. */
    static String status(String tag, String status, String code, String text) {
        StringBuilder sb = new StringBuilder(64).append(tag == null ? "*" : tag).append(' ').append(status);
        if (code != null) sb.append(" [").append(code).append(']');
        if (text != null && !text.isEmpty()) sb.append(' ').append(text);
        return sb.toString();
    }
}
