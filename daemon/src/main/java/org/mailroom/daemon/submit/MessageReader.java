package org.mailroom.daemon.submit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message from sendmail's standard input: lines end in LF or CR LF and are stored with
 * LF; without {@code -i} a line that is a single "." ends the message (the rest of the input is
 * left unread), with {@code -i} only end of file does.
 */
public final class MessageReader {

    /** More than the daemon would take. */
    public static final class TooBig extends IOException {
        public TooBig(long max) {
            super("message too big (more than " + max + " octets)");
        }
    }

    private MessageReader() {}

    public static byte[] read(InputStream in, boolean ignoreDots, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        java.io.BufferedInputStream b = new java.io.BufferedInputStream(in, 65536);
        while (true) {
            c = b.read();
            if (c < 0 || c == '\n') {
                byte[] l = line.toByteArray();
                int len = l.length;
                if (len > 0 && l[len - 1] == '\r' && c == '\n') len--;
                if (!ignoreDots && c == '\n' && len == 1 && l[0] == '.') break;
                if (!ignoreDots && c < 0 && len == 1 && l[0] == '.') break;
                out.write(l, 0, len);
                if (c == '\n' || len > 0) out.write('\n'); // a last line without LF gets one
                if (out.size() > max) throw new TooBig(max);
                line.reset();
                if (c < 0) break;
            } else {
                line.write(c);
                if (line.size() > max) throw new TooBig(max);
            }
        }
        return out.toByteArray();
    }
}
