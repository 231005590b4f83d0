package org.mailroom.imap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/** A bare IMAP client for tests: raw lines over a socket, optionally raw deflate (RFC 4978). */
final class ImapClient implements AutoCloseable {
    private final Socket socket;
    private InputStream in;
    private OutputStream out;

    ImapClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(20_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends {@code text} and CRLF. */
    ImapClient send(String text) throws IOException {
        return raw((text + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    ImapClient raw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** The next line without CRLF, or null at EOF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c;
            try {
                c = in.read();
            } catch (java.net.SocketException e) {
                c = -1;
            }
            if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            if (c == '\n') break;
            b.write(c);
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads lines up to and including the one starting with {@code tag + " "}; returns that one. */
    String tagged(String tag) throws IOException {
        while (true) {
            String l = line();
            if (l == null) throw new IOException("closed while waiting for " + tag);
            if (l.startsWith(tag + " ")) return l;
        }
    }

    /** Logs in as alice after the greeting. */
    ImapClient login() throws IOException {
        line(); // greeting
        send("l1 LOGIN alice@example.test secret");
        String r = tagged("l1");
        if (!r.startsWith("l1 OK")) throw new IOException("login failed: " + r);
        return this;
    }

    /** From now on both directions are raw deflate (RFC 4978), as after COMPRESS DEFLATE's OK. */
    void compress() {
        in = new InflaterInputStream(in, new Inflater(true), 1);
        out = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true), true);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
