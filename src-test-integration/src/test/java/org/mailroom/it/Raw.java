package org.mailroom.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal line client over a plain socket, for exchanges the libraries hide (kill -9 timing, drops). */
final class Raw implements AutoCloseable {
    private final Socket socket = new Socket();
    private final InputStream in;
    private final OutputStream out;

    Raw(int port) throws IOException {
        this(port, null);
    }

    /** @param localAddress the client's own address, e.g. 127.0.0.2 to be another client on loopback */
    Raw(int port, String localAddress) throws IOException {
        if (localAddress != null) socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Raw send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') b.write(c);
        if (c < 0 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads a whole SMTP reply (continuation lines "250-...") and returns its last line. */
    String reply() throws IOException {
        String l;
        do {
            l = line();
        } while (l != null && l.length() > 3 && l.charAt(3) == '-');
        return l;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
