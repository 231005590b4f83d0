package org.mailroom.delivery.remote;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A one-connection SMTP server that follows a transcript (STYLE 1.5 notation):
 * <ul>
 * <li>{@code S: 250 ok} sends a line;
 * <li>{@code C: MAIL FROM:<a@b>{*}} reads a line and matches it ({@code {*}} is a glob);
 * <li>{@code C: <data>} reads a DATA body up to "." CRLF and keeps it raw ({@link #data()});
 * <li>{@code TLS} wraps the socket in TLS with a self-signed certificate for "localhost" (after
 * "S: 220" for STARTTLS, or as the first step for implicit TLS);
 * <li>{@code CLOSE} closes the connection.
 * </ul>
 * Mismatches are collected in {@link #errors()}; the connection is closed at the end of the script.
 * Public for {@code src-test-integration}, where it plays a STARTTLS smarthost for the real daemon.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> data = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public ScriptedSmtpServer(String... script) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), script);
    }

    /** Listens on {@code bind} (e.g. 127.0.0.3 at another server's port, for MX failover tests). */
    public ScriptedSmtpServer(InetSocketAddress bind, String... script) throws IOException {
        server = new ServerSocket();
        server.bind(bind, 5);
        thread = new Thread(() -> run(List.of(script)), "scripted-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    public List<String> errors() throws InterruptedException {
        thread.join(5000);
        return errors;
    }

    /** DATA bodies received, raw (CRLF, dot-stuffed), without the final "." line. */
    public List<String> data() { return data; }

    private void run(List<String> script) {
        try (Socket s0 = server.accept()) {
            Socket s = s0;
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (String step : script) {
                if (step.startsWith("S: ")) {
                    out.write((step.substring(3) + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else if (step.equals("C: <data>")) {
                    data.add(readData(in));
                } else if (step.startsWith("C: ")) {
                    String line = readLine(in);
                    if (line == null) {
                        errors.add("expected " + step + ", got EOF");
                        return;
                    }
                    if (!glob(step.substring(3)).matcher(line).matches()) {
                        errors.add("expected " + step + ", got C: " + line);
                        return;
                    }
                } else if (step.equals("TLS")) {
                    s = startTls(s);
                    in = s.getInputStream();
                    out = s.getOutputStream();
                } else if (step.equals("CLOSE")) {
                    s.close();
                    return;
                } else {
                    throw new IllegalArgumentException(step);
                }
            }
        } catch (Exception e) {
            if (!"CLOSE".equals(String.valueOf(e.getMessage()))) errors.add("server: " + e);
        }
    }

    private static Socket startTls(Socket plain) throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", cert.key(), new char[0], new java.security.cert.Certificate[] {cert.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(plain,
                plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }

    private static Pattern glob(String g) {
        List<String> quoted = java.util.Arrays.stream(g.split("\\{\\*}", -1)).map(Pattern::quote).toList();
        return Pattern.compile(String.join(".*", quoted), Pattern.DOTALL);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.UTF_8);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return null;
    }

    private static String readData(InputStream in) throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = readLine(in);
            if (line == null) throw new IOException("EOF in data");
            if (line.equals(".")) return all.toString();
            all.append(line).append("\r\n");
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
