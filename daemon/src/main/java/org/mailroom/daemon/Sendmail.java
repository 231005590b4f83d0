package org.mailroom.daemon;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.ConfigLoader;
import org.mailroom.config.Keys;
import org.mailroom.daemon.submit.HeaderFields;
import org.mailroom.daemon.submit.MessageReader;
import org.mailroom.daemon.submit.SendmailArgs;
import org.mailroom.daemon.submit.SmtpStdio;
import org.mailroom.daemon.submit.SubmitClient;
import org.mailroom.daemon.submit.SubmitRequest;
import org.mailroom.daemon.submit.SubmitServer;

/**
 * {@code bin/sendmail}: the /usr/sbin/sendmail interface (DESIGN.md section 6, docs/sendmail.md).
 * Reads the message on standard input and hands it to the running daemon over
 * {@code <data>/run/submit.sock}; the daemon decides who the sender is (SO_PEERCRED) and answers
 * only when the message is durable. The configuration directory is {@code --config DIR}, else
 * {@code $MAILROOM_CONFIG}, else {@code ./conf}; {@code data.dir} is read from it.
 *
 * <p>Exit codes (sysexits.h): 0 sent, 64 usage, 65 refused (bad address, too big), 69 daemon not
 * running, 70 internal error, 73 the daemon is out of disk, 75 temporary failure, 78 configuration.
 */
public final class Sendmail {
    public static final int OK = 0, USAGE = 64, DATAERR = 65, UNAVAILABLE = 69, SOFTWARE = 70, CANTCREAT = 73,
            TEMPFAIL = 75, CONFIG = 78;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final PrintStream err;
    private final String envConfig;

    public Sendmail(InputStream stdin, OutputStream stdout, PrintStream err, String envConfig) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.err = err;
        this.envConfig = envConfig;
    }

    public static void main(String[] argv) {
        // standard output may be an SMTP dialogue (-bs): no log line or library chatter may reach it
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        PrintStream stdout = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err);
        int rc = new Sendmail(System.in, stdout, System.err, System.getenv("MAILROOM_CONFIG")).run(argv);
        stdout.flush();
        System.exit(rc);
    }

    public int run(String[] argv) {
        try {
            return runOrThrow(argv);
        } catch (RuntimeException e) {
            err.println("mailroom: internal error: " + e);
            return SOFTWARE;
        }
    }

    private int runOrThrow(String[] argv) {
        SendmailArgs args;
        try {
            args = SendmailArgs.parse(argv);
        } catch (SendmailArgs.Usage e) {
            err.println("mailroom: " + e.getMessage());
            err.println(SendmailArgs.USAGE);
            return USAGE;
        }
        Path configDir = Path.of(args.configDir() != null ? args.configDir()
                : envConfig != null && !envConfig.isEmpty() ? envConfig : "conf");
        Config config;
        try {
            config = ConfigLoader.load(configDir);
        } catch (ConfigError e) {
            err.println("mailroom: " + e.oneLine());
            return CONFIG;
        }
        Path socket = SubmitServer.socketPath(config.dataDir());
        long maxSize = config.get(Keys.SMTP_MAX_MESSAGE_SIZE);
        int maxRcpts = config.get(Keys.SMTP_MAX_RECIPIENTS);
        if (args.smtp()) {
            try {
                new SmtpStdio(stdin, stdout, Daemon.hostname(config), maxSize, maxRcpts,
                        (req, msg) -> SubmitClient.submit(socket, req, msg)).run();
                return OK;
            } catch (IOException e) {
                err.println("mailroom: " + e.getMessage());
                return TEMPFAIL;
            }
        }
        byte[] message;
        try {
            message = MessageReader.read(stdin, args.ignoreDots(), maxSize);
        } catch (MessageReader.TooBig e) {
            err.println("mailroom: " + e.getMessage() + "; the message was not sent");
            return DATAERR;
        } catch (IOException e) {
            err.println("mailroom: cannot read the message: " + e.getMessage());
            return TEMPFAIL;
        }
        List<String> rcpts = new ArrayList<>(args.recipients());
        if (args.extractRecipients()) {
            HeaderFields h = HeaderFields.parse(message);
            rcpts.addAll(h.recipients());
            message = h.withoutBcc(message);
        }
        if (rcpts.isEmpty()) {
            err.println("mailroom: no recipients" + (args.extractRecipients() ? " in To:, Cc: or Bcc:" : " (give them as arguments, or -t)"));
            return USAGE;
        }
        if (rcpts.size() > maxRcpts) {
            err.println("mailroom: too many recipients (" + rcpts.size() + "; at most " + maxRcpts + ")");
            return DATAERR;
        }
        String answer;
        try {
            answer = SubmitClient.submit(socket, new SubmitRequest(args.sender(), args.fullName(), rcpts, message.length), message);
        } catch (SubmitClient.NotRunning e) {
            err.println("mailroom: the mail daemon is not running (" + e.getMessage() + "); the message was not sent");
            return UNAVAILABLE;
        } catch (IOException e) {
            err.println("mailroom: cannot submit to the mail daemon: " + e.getMessage() + "; the message was not sent");
            return e.getMessage() != null && e.getMessage().contains("ermission denied") ? UNAVAILABLE : TEMPFAIL;
        }
        return exitCode(answer, err);
    }

    /** The exit code for the daemon's answer line; says why on {@code err} when it is not OK. */
    static int exitCode(String answer, PrintStream err) {
        if (answer.startsWith("OK ")) return OK;
        if (!answer.startsWith("ERR ")) {
            err.println("mailroom: unexpected answer from the mail daemon: " + answer);
            return SOFTWARE;
        }
        String text = answer.substring(4);
        err.println("mailroom: the message was not sent: " + text);
        if (text.startsWith("452 4.3.1")) return CANTCREAT;
        if (text.startsWith("4")) return TEMPFAIL;
        if (text.startsWith("5")) return DATAERR;
        return SOFTWARE;
    }
}
