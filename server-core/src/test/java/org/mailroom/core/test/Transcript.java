package org.mailroom.core.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A protocol transcript (STYLE.md 1.5): client lines, expected server lines with patterns, run over
 * a real socket. The format, one directive per line:
 * <pre>
 * # comment (the first comment line names the rule and its RFC section)
 * &#64;listener smtp            which service to connect to (header)
 * &#64;user alice@example.test secret   an account the harness creates before the run (header)
 * S: 220 {*}                 one line; {*} is a glob, {$name} captures on first use, must match later
 * S~ 250[- ]PIPELINING       one line, full regular expression
 * S* 250                     a whole multi-line reply: "250-..." lines then one "250 ..." line
 * S: &lt;closed&gt;              the server closed the connection
 * C: EHLO client.test        a line sent with CRLF; {$name} is replaced by its captured value
 * C! .\n                     octets sent exactly, after Java-style escapes (\r \n \t \\ \xNN), no CRLF added
 * C&lt;&lt; ... C&gt;&gt;                a block of lines, each sent with CRLF
 * SUB { ... }                S: lines that may arrive in any order
 * &#64;starttls                  upgrade this connection to TLS (any certificate accepted)
 * &#64;drop                      close the connection abruptly, without a goodbye
 * --- 2 [listener]           switch to connection 2 (opened on first use)
 * </pre>
 */
public final class Transcript {
    private final Path file;
    private final String listener;
    private final List<String[]> users = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();

    private record Step(int line, String kind, String arg, List<String> block) {}

    private Transcript(Path file, String listener) {
        this.file = file;
        this.listener = listener;
    }

    public Path file() { return file; }

    public String listener() { return listener; }

    /** The {@code @user address password} lines. */
    public List<String[]> users() { return users; }

    public String name() { return file.getFileName().toString(); }

    public static Transcript parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String listener = null;
        List<String[]> users = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int no = i + 1;
            if (l.isBlank() || l.startsWith("#")) continue;
            if (l.startsWith("@listener ")) { listener = stripComment(l.substring(10)).trim(); continue; }
            if (l.startsWith("@user ")) { users.add(stripComment(l.substring(6)).trim().split("\\s+", 2)); continue; }
            if (l.startsWith("@starttls")) { steps.add(new Step(no, "starttls", "", null)); continue; }
            if (l.startsWith("@drop")) { steps.add(new Step(no, "drop", "", null)); continue; }
            if (l.startsWith("--- ")) { steps.add(new Step(no, "conn", l.substring(4).trim(), null)); continue; }
            if (l.startsWith("C<<")) {
                List<String> block = new ArrayList<>();
                while (++i < lines.size() && !lines.get(i).startsWith("C>>")) block.add(lines.get(i));
                steps.add(new Step(no, "C<<", "", block));
                continue;
            }
            if (l.startsWith("SUB {")) {
                List<String> block = new ArrayList<>();
                while (++i < lines.size() && !lines.get(i).trim().equals("}")) {
                    String s = lines.get(i).trim();
                    if (!s.startsWith("S: ")) throw new IOException(file + ":" + (i + 1) + ": only S: lines inside SUB");
                    block.add(s.substring(3));
                }
                steps.add(new Step(no, "SUB", "", block));
                continue;
            }
            if (l.length() >= 2 && (l.startsWith("C:") || l.startsWith("C!") || l.startsWith("S:")
                    || l.startsWith("S~") || l.startsWith("S*"))) {
                String arg = l.length() > 3 ? l.substring(3) : "";
                if (l.startsWith("S*")) arg = stripComment(arg).trim();
                steps.add(new Step(no, l.substring(0, 2), arg, null));
                continue;
            }
            throw new IOException(file + ":" + no + ": cannot parse: " + l);
        }
        if (listener == null) throw new IOException(file + ": no @listener line");
        Transcript t = new Transcript(file, listener);
        t.users.addAll(users);
        t.steps.addAll(steps);
        return t;
    }

    private static String stripComment(String s) {
        int h = s.indexOf("  #");
        return h < 0 ? s : s.substring(0, h);
    }

    /** Runs the transcript; {@code addresses} maps a listener name to where it listens. */
    public void run(Function<String, InetSocketAddress> addresses) throws Exception {
        Map<String, Conn> conns = new HashMap<>();
        Map<String, String> vars = new HashMap<>();
        StringBuilder log = new StringBuilder();
        Conn c = null;
        String current = "1";
        try {
            for (Step s : steps) {
                if (s.kind.equals("conn")) {
                    String[] p = s.arg.split("\\s+");
                    current = p[0];
                    String lst = p.length > 1 ? p[1] : listener;
                    c = conns.get(current);
                    if (c == null) {
                        c = new Conn(addresses.apply(lst));
                        conns.put(current, c);
                    }
                    log.append("--- ").append(current).append('\n');
                    continue;
                }
                if (c == null) {
                    c = new Conn(addresses.apply(listener));
                    conns.put(current, c);
                }
                switch (s.kind) {
                    case "C:" -> {
                        String line = substitute(s.arg, vars);
                        c.send((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                        log.append("C: ").append(line).append('\n');
                    }
                    case "C!" -> { c.send(unescape(s.arg)); log.append("C! ").append(s.arg).append('\n'); }
                    case "C<<" -> {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        for (String l : s.block) b.writeBytes((l + "\r\n").getBytes(StandardCharsets.UTF_8));
                        c.send(b.toByteArray());
                        log.append("C<< (").append(s.block.size()).append(" lines)\n");
                    }
                    case "S:" -> {
                        if (s.arg.equals("<closed>")) {
                            String got = c.readLine();
                            log.append("S: ").append(got == null ? "<closed>" : got).append('\n');
                            if (got != null) fail(s, "expected the connection to close", got, log);
                        } else {
                            String got = c.readLine();
                            log.append("S: ").append(got).append('\n');
                            if (got == null || !match(s.arg, got, vars)) fail(s, "expected S: " + s.arg, got, log);
                        }
                    }
                    case "S~" -> {
                        String got = c.readLine();
                        log.append("S: ").append(got).append('\n');
                        if (got == null || !Pattern.compile(s.arg).matcher(got).matches()) fail(s, "expected S~ " + s.arg, got, log);
                    }
                    case "S*" -> {
                        String code = s.arg;
                        while (true) {
                            String got = c.readLine();
                            log.append("S: ").append(got).append('\n');
                            if (got == null) fail(s, "expected a " + code + " reply", null, log);
                            if (got.startsWith(code + "-")) continue;
                            if (got.equals(code) || got.startsWith(code + " ")) break;
                            fail(s, "expected a multi-line " + code + " reply", got, log);
                        }
                    }
                    case "SUB" -> {
                        List<String> want = new ArrayList<>(s.block);
                        for (int n = s.block.size(); n > 0; n--) {
                            String got = c.readLine();
                            log.append("S: ").append(got).append('\n');
                            boolean found = false;
                            for (int k = 0; k < want.size() && got != null; k++) {
                                if (match(want.get(k), got, vars)) { want.remove(k); found = true; break; }
                            }
                            if (!found) fail(s, "expected one of " + want, got, log);
                        }
                    }
                    case "starttls" -> { c.startTls(); log.append("@starttls\n"); }
                    case "drop" -> { c.close(); conns.remove(current); c = null; log.append("@drop\n"); }
                    default -> throw new IllegalStateException(s.kind);
                }
            }
        } finally {
            for (Conn x : conns.values()) x.close();
        }
    }

    private void fail(Step s, String expected, String got, StringBuilder log) {
        throw new AssertionError(file.getFileName() + ":" + s.line + ": " + expected + "\n  got: "
                + (got == null ? "<closed>" : got) + "\n--- exchange so far ---\n" + log);
    }

    /** A client line with every {$var} captured before replaced by its value (unknown ones stay). */
    static String substitute(String line, Map<String, String> vars) {
        if (line.indexOf("{$") < 0) return line;
        Matcher m = Pattern.compile("\\{\\$(\\w+)}").matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Glob match with {*} and {$var} captures. */
    static boolean match(String pattern, String line, Map<String, String> vars) {
        StringBuilder re = new StringBuilder();
        List<String> newVars = new ArrayList<>();
        Matcher m = Pattern.compile("\\{\\*\\}|\\{\\$([A-Za-z0-9_]+)\\}").matcher(pattern);
        int last = 0;
        while (m.find()) {
            re.append(Pattern.quote(pattern.substring(last, m.start())));
            if (m.group(1) == null) {
                re.append(".*");
            } else if (vars.containsKey(m.group(1))) {
                re.append(Pattern.quote(vars.get(m.group(1))));
            } else if (newVars.contains(m.group(1))) {
                re.append("\\").append(newVars.indexOf(m.group(1)) + 1);
            } else {
                newVars.add(m.group(1));
                re.append("(\\S+?)");
            }
            last = m.end();
        }
        re.append(Pattern.quote(pattern.substring(last)));
        Matcher lm = Pattern.compile(re.toString(), Pattern.DOTALL).matcher(line);
        if (!lm.matches()) return false;
        for (int i = 0; i < newVars.size(); i++) vars.put(newVars.get(i), lm.group(i + 1));
        return true;
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch != '\\' || i + 1 >= s.length()) {
                out.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'x' -> { out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16)); i += 2; }
                default -> out.write(e);
            }
        }
        return out.toByteArray();
    }

    /** One client connection; lines are read byte by byte so that nothing is buffered before STARTTLS. */
    private static final class Conn {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Conn(InetSocketAddress addr) throws IOException {
            socket = new Socket();
            socket.connect(addr, 5000);
            socket.setSoTimeout(15_000);
            in = socket.getInputStream(); // unbuffered: a line read never swallows a TLS handshake
            out = socket.getOutputStream();
        }

        void send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
        }

        /** A line without its CRLF, or null at EOF. */
        String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c;
                try {
                    c = in.read();
                } catch (java.net.SocketException e) {
                    c = -1; // reset by peer counts as closed
                }
                if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
                if (c == '\n') break;
                b.write(c);
            }
            byte[] a = b.toByteArray();
            int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
            return new String(a, 0, n, StandardCharsets.UTF_8);
        }

        void startTls() throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, null);
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(socket,
                    socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            tls.startHandshake();
            socket = tls;
            in = tls.getInputStream();
            out = tls.getOutputStream();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a test connection
            }
        }
    }

    /** Accepts any server certificate: transcripts test protocols, not PKI. */
    public static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
        @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
}
