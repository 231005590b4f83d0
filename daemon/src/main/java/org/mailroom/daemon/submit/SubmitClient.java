package org.mailroom.daemon.submit;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The client side of {@code submit.sock}, as {@code sendmail} uses it. */
public final class SubmitClient {

    /** Nobody listens on the socket: no socket file, or a stale one. */
    public static final class NotRunning extends IOException {
        public NotRunning(String message) {
            super(message);
        }
    }

    private SubmitClient() {}

    /**
     * Sends one message; returns the daemon's answer line ({@code OK id} or {@code ERR ...}).
     *
     * @throws NotRunning  if no daemon listens on {@code socket}
     * @throws IOException if the connection fails otherwise, or ends without an answer
     */
    public static String submit(Path socket, SubmitRequest req, byte[] message) throws IOException {
        if (!Files.exists(socket)) throw new NotRunning("no " + socket);
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            throw new NotRunning(socket + ": nobody listens");
        } catch (SocketException e) {
            if (!Files.exists(socket)) throw new NotRunning("no " + socket);
            throw new IOException(socket + ": " + e.getMessage(), e);
        }
        try (ch) {
            try {
                ByteBuffer h = ByteBuffer.wrap(req.encode());
                while (h.hasRemaining()) ch.write(h);
                ByteBuffer b = ByteBuffer.wrap(message);
                while (b.hasRemaining()) ch.write(b);
                ch.shutdownOutput();
            } catch (IOException e) {
                // the daemon may have refused early and closed: its answer is still to be read
            }
            InputStream in = Channels.newInputStream(ch);
            String answer = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            int nl = answer.indexOf('\n');
            if (nl < 0) throw new IOException("the daemon closed the connection without an answer");
            return answer.substring(0, nl);
        }
    }
}
