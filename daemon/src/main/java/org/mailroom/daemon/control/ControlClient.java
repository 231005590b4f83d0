package org.mailroom.daemon.control;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The client side of the control channel, as {@code mailroom queue} (and later {@code sendmail}) use it. */
public final class ControlClient {

    /** Nobody listens on the socket: no socket file, or a stale one. */
    public static final class NotRunning extends IOException {
        public NotRunning(String message) {
            super(message);
        }
    }

    private ControlClient() {}

    /**
     * Sends one request and reads the answer to end of file.
     *
     * @throws NotRunning  if no daemon listens on {@code socket}
     * @throws IOException if the connection fails otherwise (permissions, say)
     */
    public static ControlResponse send(Path socket, ControlRequest request) throws IOException {
        if (!Files.exists(socket)) throw new NotRunning("no " + socket);
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            throw new NotRunning(socket + ": nobody listens (" + e.getMessage() + ")");
        } catch (SocketException e) {
            if (!Files.exists(socket)) throw new NotRunning("no " + socket); // removed at shutdown meanwhile
            throw new IOException(socket + ": " + e.getMessage(), e);
        }
        try (ch) {
            ByteBuffer b = ByteBuffer.wrap((request.line() + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) ch.write(b);
            InputStream in = Channels.newInputStream(ch);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The answer: every line but the last is data, the last is {@code OK} or {@code ERR message}. */
    static ControlResponse parse(String answer) {
        List<String> lines = new ArrayList<>(Arrays.asList(answer.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        if (lines.isEmpty()) return ControlResponse.err("the daemon closed the connection without an answer");
        String status = lines.remove(lines.size() - 1);
        if (status.equals("OK")) return ControlResponse.ok(lines);
        if (status.startsWith("ERR ")) return new ControlResponse(lines, status.substring(4));
        return ControlResponse.err("incomplete answer from the daemon (last line: " + status + ")");
    }
}
