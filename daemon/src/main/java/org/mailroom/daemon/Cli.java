package org.mailroom.daemon;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.ConfigLoader;
import org.mailroom.config.Keys;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AccountStore;
import org.mailroom.daemon.control.ControlClient;
import org.mailroom.daemon.control.ControlRequest;
import org.mailroom.daemon.control.ControlRequestParser;
import org.mailroom.daemon.control.ControlResponse;
import org.mailroom.daemon.control.ControlServer;
import org.mailroom.daemon.control.QueueHandler;
import org.mailroom.delivery.queue.QueueStore;

/**
 * The command line (DESIGN.md section 6). Exit codes follow sysexits.h: 0 success, 1 the operation
 * failed (for {@code queue}: the daemon answered ERR), 64 usage error, 69 the daemon is not running
 * (queue commands that change the queue), 78 configuration error.
 * <pre>
 * mailroom run [--config DIR] [--data DIR]
 * mailroom check-config [--config DIR] [--data DIR]
 * mailroom user add|passwd ADDRESS   (password on standard input)
 * mailroom user del ADDRESS
 * mailroom user list
 * mailroom queue list|flush
 * mailroom queue show|delete|hold|release ID
 * mailroom reload
 * mailroom status
 * </pre>
 * {@code reload} asks the running daemon to re-read its configuration (as SIGHUP does) and prints
 * the outcome: exit 0, or 78 when the new configuration was rejected (the running one stays).
 * The {@code queue} commands talk to the running daemon over {@code <data>/run/control.sock}
 * ({@link org.mailroom.daemon.control}); {@code list} and {@code show} read the queue directory
 * directly when the daemon is not running.
 */
public final class Cli {
    public static final int OK = 0, FAILED = 1, USAGE = 64, UNAVAILABLE = 69, CONFIG = 78;
    private static final String USAGE_TEXT = String.join("\n",
            "usage: mailroom run [--config DIR] [--data DIR]        start the daemon in the foreground",
            "       mailroom check-config [--config DIR] [--data DIR] validate the configuration",
            "       mailroom user add ADDRESS                        add an account (password on stdin)",
            "       mailroom user passwd ADDRESS                     change a password (password on stdin)",
            "       mailroom user del ADDRESS                        remove an account (its mail stays)",
            "       mailroom user list                               list accounts",
            "       mailroom queue list                              list queued mail (oldest first)",
            "       mailroom queue show ID                           a message's envelope and header",
            "       mailroom queue flush                             retry all deferred mail now",
            "       mailroom queue delete ID                         remove a message from the queue",
            "       mailroom queue hold ID                           keep a message from being delivered",
            "       mailroom queue release ID                        end the hold, retry now",
            "       mailroom reload                                  re-read configuration, accounts, aliases, certificates",
            "       mailroom status                                  listeners, sessions, queue, deliveries of the running daemon",
            "Every command takes --config DIR (default ./conf) and --data DIR (default: data.dir).");

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(InputStream stdin, PrintStream out, PrintStream err) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    public int run(String[] argv) {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        Path configDir = Path.of("conf");
        String dataDir = null;
        try {
            String c = option(args, "--config");
            if (c != null) configDir = Path.of(c);
            dataDir = option(args, "--data");
        } catch (IllegalArgumentException e) {
            err.println("mailroom: " + e.getMessage());
            return USAGE;
        }
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            (args.isEmpty() ? err : out).println(USAGE_TEXT);
            return args.isEmpty() ? USAGE : OK;
        }
        Path dir = configDir;
        String data = dataDir;
        // the command line's overrides hold for a reload too
        Reload.Source source = () -> {
            Config c = ConfigLoader.load(dir);
            return data != null ? c.with(Keys.DATA_DIR, data) : c;
        };
        Config config;
        try {
            config = source.load();
        } catch (ConfigError e) {
            // reload: the same file would be rejected by the daemon; it is not asked at all
            err.println("mailroom: " + e.oneLine() + (args.get(0).equals("reload")
                    ? "; not reloaded, the running configuration stays" : ""));
            return CONFIG;
        }
        String cmd = args.remove(0);
        return switch (cmd) {
            case "run" -> args.isEmpty() ? runDaemon(config, source) : usage("run takes no arguments");
            case "check-config" -> args.isEmpty() ? checkConfig(config) : usage("check-config takes no arguments");
            case "user" -> user(config, args);
            case "queue" -> queue(config, args);
            case "reload" -> args.isEmpty() ? reload(config) : usage("reload takes no arguments");
            case "status" -> args.isEmpty() ? status(config) : usage("status takes no arguments");
            default -> usage("unknown command \"" + cmd + "\"");
        };
    }

    private int usage(String why) {
        err.println("mailroom: " + why);
        err.println(USAGE_TEXT);
        return USAGE;
    }

    private static String option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(name)) {
                if (i + 1 >= args.size()) throw new IllegalArgumentException(name + " needs a directory");
                String v = args.get(i + 1);
                args.remove(i + 1);
                args.remove(i);
                return v;
            }
            if (a.startsWith(name + "=")) {
                args.remove(i);
                return a.substring(name.length() + 1);
            }
        }
        return null;
    }

    private int checkConfig(Config config) {
        try {
            Daemon.validate(config);
        } catch (ConfigError e) {
            err.println("mailroom: " + e.oneLine());
            return CONFIG;
        }
        out.println("mailroom: configuration OK (" + config.configDir().resolve(ConfigLoader.FILE_NAME) + ")");
        return OK;
    }

    private int runDaemon(Config config, Reload.Source source) {
        try {
            Daemon d = Daemon.start(config, source);
            Runtime.getRuntime().addShutdownHook(new Thread(d::shutdown, "shutdown"));
            Reload.onHangup(d::requestReload);
            d.awaitStopped(); // every thread of the daemon is a daemon thread: main keeps the JVM up
            return OK;
        } catch (ConfigError e) {
            err.println("mailroom: " + e.oneLine());
            return CONFIG;
        } catch (Exception e) {
            err.println("mailroom: cannot start: " + e.getMessage());
            return FAILED;
        }
    }

    private int user(Config config, List<String> args) {
        if (args.isEmpty()) return usage("user needs add, passwd, del or list");
        String sub = args.remove(0);
        AccountStore store = Daemon.accountStore(config);
        try {
            switch (sub) {
                case "list" -> {
                    if (!args.isEmpty()) return usage("user list takes no arguments");
                    for (Account a : store.list()) out.println(a.address());
                    return OK;
                }
                case "add", "passwd" -> {
                    if (args.size() != 1) return usage("user " + sub + " needs one ADDRESS");
                    char[] pw = readPassword();
                    if (pw == null || pw.length == 0) {
                        err.println("mailroom: no password given on standard input");
                        return FAILED;
                    }
                    try {
                        if (sub.equals("add")) store.add(args.get(0), pw);
                        else store.setPassword(args.get(0), pw);
                    } finally {
                        Arrays.fill(pw, '\0');
                    }
                    out.println("mailroom: " + (sub.equals("add") ? "added " : "changed password of ")
                            + AccountStore.normalize(args.get(0)));
                    return OK;
                }
                case "del" -> {
                    if (args.size() != 1) return usage("user del needs one ADDRESS");
                    if (!store.remove(args.get(0))) {
                        err.println("mailroom: no such account: " + args.get(0));
                        return FAILED;
                    }
                    out.println("mailroom: removed " + AccountStore.normalize(args.get(0)) + " (its mail is kept)");
                    return OK;
                }
                default -> {
                    return usage("unknown user command \"" + sub + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("mailroom: " + e.getMessage());
            return FAILED;
        } catch (IOException e) {
            err.println("mailroom: " + e.getMessage());
            return FAILED;
        }
    }

    private int queue(Config config, List<String> args) {
        ControlRequest req;
        try {
            req = ControlRequestParser.parse("queue " + String.join(" ", args));
        } catch (ControlRequestParser.BadRequest e) {
            return usage(e.getMessage());
        }
        Path data = config.dataDir();
        ControlResponse r;
        try {
            r = ControlClient.send(ControlServer.socketPath(data), req);
        } catch (ControlClient.NotRunning e) {
            if (req.command() != ControlRequest.Command.LIST && req.command() != ControlRequest.Command.SHOW) {
                err.println("mailroom: the daemon is not running (" + e.getMessage() + "); queue "
                        + req.command().word() + " needs it");
                return UNAVAILABLE;
            }
            err.println("mailroom: the daemon is not running; reading " + data.resolve("queue") + " directly");
            try {
                r = readQueueDirectly(data.resolve("queue"), req);
            } catch (IOException io) {
                err.println("mailroom: " + io.getMessage());
                return FAILED;
            }
        } catch (IOException e) {
            err.println("mailroom: cannot reach the daemon: " + e.getMessage());
            return UNAVAILABLE;
        }
        for (String l : r.lines()) out.println(l);
        if (!r.isOk()) {
            err.println("mailroom: " + r.error());
            return FAILED;
        }
        if (req.command() == ControlRequest.Command.LIST && r.lines().isEmpty()) err.println("mailroom: the queue is empty");
        return OK;
    }

    private int reload(Config config) {
        ControlResponse r;
        try {
            r = ControlClient.send(ControlServer.socketPath(config.dataDir()), new ControlRequest(ControlRequest.Command.RELOAD, null));
        } catch (ControlClient.NotRunning e) {
            err.println("mailroom: the daemon is not running (" + e.getMessage() + ")");
            return UNAVAILABLE;
        } catch (IOException e) {
            err.println("mailroom: cannot reach the daemon: " + e.getMessage());
            return UNAVAILABLE;
        }
        for (String l : r.lines()) out.println("mailroom: " + l);
        if (!r.isOk()) {
            err.println("mailroom: reload rejected: " + r.error() + "; the running configuration stays");
            return CONFIG;
        }
        out.println("mailroom: reloaded");
        return OK;
    }

    /** Asks the running daemon; 69 (unavailable) when none runs. */
    private int status(Config config) {
        ControlResponse r;
        try {
            r = ControlClient.send(ControlServer.socketPath(config.dataDir()),
                    new ControlRequest(ControlRequest.Command.STATUS, null));
        } catch (ControlClient.NotRunning e) {
            err.println("mailroom: the daemon is not running (" + e.getMessage() + ")");
            return UNAVAILABLE;
        } catch (IOException e) {
            err.println("mailroom: cannot reach the daemon: " + e.getMessage());
            return UNAVAILABLE;
        }
        for (String l : r.lines()) out.println(l);
        if (!r.isOk()) {
            err.println("mailroom: " + r.error());
            return FAILED;
        }
        return OK;
    }

    /** {@code list} and {@code show} without the daemon; never creates a queue that is not there. */
    private static ControlResponse readQueueDirectly(Path queue, ControlRequest req) throws IOException {
        if (!Files.isDirectory(queue)) {
            return req.command() == ControlRequest.Command.LIST ? ControlResponse.ok()
                    : ControlResponse.err(req.id() + ": not in the queue");
        }
        // XXX QueueStore's constructor creates missing state directories; of a queue that exists, none are
        return QueueHandler.readOnly(new QueueStore(queue), Clock.systemUTC()).handle(req);
    }

    /** From the terminal (asked twice, not echoed), or the first line of standard input. */
    private char[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null && stdin == System.in) {
            char[] a = console.readPassword("Password: ");
            char[] b = console.readPassword("Again: ");
            if (a == null || b == null || !Arrays.equals(a, b)) {
                err.println("mailroom: passwords differ");
                return null;
            }
            Arrays.fill(b, '\0');
            return a;
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String line = r.readLine();
        return line == null ? null : line.toCharArray();
    }
}
