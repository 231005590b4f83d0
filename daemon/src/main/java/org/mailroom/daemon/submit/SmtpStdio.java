package org.mailroom.daemon.submit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code sendmail -bs}: a minimal SMTP server on standard input and output (RFC 5321 subset: HELO,
 * EHLO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT) for mutt and s-nail. Recipients are collected
 * and the whole message is submitted over {@code submit.sock} at the end of DATA, so the reply to
 * DATA is the daemon's answer; RCPT only checks syntax.
 */
public final class SmtpStdio {

    /** Hands one message to the daemon; returns its answer line ({@code OK id} / {@code ERR ...}). */
    public interface Submitter {
        String submit(SubmitRequest req, byte[] message) throws IOException;
    }

    private static final int MAX_LINE = 4096;

    private final InputStream in;
    private final OutputStream out;
    private final String hostname;
    private final long maxSize;
    private final int maxRecipients;
    private final Submitter submitter;
    private boolean dataTooBig;

    public SmtpStdio(InputStream in, OutputStream out, String hostname, long maxSize, int maxRecipients, Submitter submitter) {
        this.in = new java.io.BufferedInputStream(in, 65536);
        this.out = out;
        this.hostname = hostname;
        this.maxSize = maxSize;
        this.maxRecipients = maxRecipients;
        this.submitter = submitter;
    }

    /** Runs the dialogue until QUIT or end of input. */
    public void run() throws IOException {
        reply("220 " + hostname + " ESMTP Mailroom (sendmail -bs)");
        String sender = null;
        List<String> rcpts = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) return;
            String upper = line.toUpperCase(Locale.ROOT);
            String verb = upper.split(" ", 2)[0];
            switch (verb) {
                case "EHLO" -> reply("250-" + hostname + "\r\n250-8BITMIME\r\n250-SIZE " + maxSize + "\r\n250 PIPELINING");
                case "HELO" -> reply("250 " + hostname);
                case "NOOP" -> reply("250 2.0.0 Ok");
                case "VRFY" -> reply("252 2.1.5 Cannot VRFY user");
                case "RSET" -> {
                    sender = null;
                    rcpts.clear();
                    reply("250 2.0.0 Ok");
                }
                case "QUIT" -> {
                    reply("221 2.0.0 Bye");
                    return;
                }
                case "MAIL" -> {
                    String p = path(line, "MAIL FROM:");
                    if (sender != null) reply("503 5.5.1 nested MAIL command");
                    else if (p == null) reply("501 5.5.4 syntax: MAIL FROM:<address>");
                    else {
                        sender = p;
                        reply("250 2.1.0 Ok");
                    }
                }
                case "RCPT" -> {
                    String p = path(line, "RCPT TO:");
                    if (sender == null) reply("503 5.5.1 need MAIL command");
                    else if (p == null || p.isEmpty()) reply("501 5.5.4 syntax: RCPT TO:<address>");
                    else if (rcpts.size() >= maxRecipients) reply("452 4.5.3 too many recipients");
                    else {
                        try {
                            rcpts.add(SubmitRequest.requireAddress(p, 553, "recipient"));
                            reply("250 2.1.5 Ok");
                        } catch (SubmitRequest.Bad e) {
                            reply(e.code + " " + e.status + " " + e.getMessage());
                        }
                    }
                }
                case "DATA" -> {
                    if (sender == null || rcpts.isEmpty()) {
                        reply("503 5.5.1 need " + (sender == null ? "MAIL" : "RCPT") + " command");
                        continue;
                    }
                    reply("354 End data with <CR><LF>.<CR><LF>");
                    byte[] msg = readData();
                    if (msg == null) return; // end of input inside DATA: nothing was submitted
                    if (dataTooBig) {
                        reply("552 5.3.4 message too big");
                    } else {
                        reply(answer(new SubmitRequest(sender, null, List.copyOf(rcpts), msg.length), msg));
                    }
                    sender = null;
                    rcpts.clear();
                }
                default -> reply("502 5.5.2 command not implemented");
            }
        }
    }

    private String answer(SubmitRequest req, byte[] msg) {
        try {
            String a = submitter.submit(req, msg);
            if (a.startsWith("OK ")) return "250 2.0.0 Ok: queued as " + a.substring(3);
            if (a.startsWith("ERR ") && a.length() > 7 && (a.charAt(4) == '4' || a.charAt(4) == '5')) return a.substring(4);
            return "451 4.3.0 unexpected answer from the mail daemon";
        } catch (SubmitClient.NotRunning e) {
            return "421 4.3.0 the mail daemon is not running (" + e.getMessage() + ")";
        } catch (IOException e) {
            return "451 4.3.0 " + e.getMessage();
        }
    }

    /** The address in {@code MAIL FROM:<a> params} / {@code RCPT TO:<a>}; "" for {@code <>}; null if malformed. */
    static String path(String line, String prefix) {
        if (!line.regionMatches(true, 0, prefix, 0, prefix.length())) return null;
        String rest = line.substring(prefix.length()).strip();
        if (rest.startsWith("<")) {
            int end = rest.indexOf('>');
            return end < 0 ? null : rest.substring(1, end);
        }
        String[] w = rest.split(" ", 2);
        return w[0].isEmpty() ? null : w[0];
    }

    /** Lines up to the lone ".", dot-stuffing removed, LF line ends; null at end of input. */
    private byte[] readData() throws IOException {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        boolean tooBig = false;
        while (true) {
            String l = readLineRaw();
            if (l == null) return null;
            if (l.equals(".")) {
                dataTooBig = tooBig;
                return msg.toByteArray();
            }
            if (tooBig) continue;
            byte[] b = (l.startsWith(".") ? l.substring(1) : l).getBytes(StandardCharsets.ISO_8859_1);
            msg.write(b);
            msg.write('\n');
            if (msg.size() > maxSize) {
                tooBig = true;
                msg = new ByteArrayOutputStream();
            }
        }
    }

    private String readLine() throws IOException {
        String l = readLineRaw();
        return l == null ? null : new String(l.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /** One line as ISO-8859-1 (octets kept), CR LF or LF removed; longer lines are cut into pieces. */
    private String readLineRaw() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
            if (b.size() >= MAX_LINE) break;
        }
        if (c < 0 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private void reply(String r) throws IOException {
        out.write((r + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
