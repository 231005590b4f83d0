package org.mailroom.daemon;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Predicate;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Keys;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.account.AccountStore;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.core.net.NetServer;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.maildir.MaildirStore;
import org.mailroom.core.store.mbox.MboxStore;
import org.mailroom.core.tls.TlsContexts;
import org.mailroom.delivery.DeliverySink;
import org.mailroom.delivery.local.ForwardTargets;
import org.mailroom.delivery.local.LocalDelivery;
import org.mailroom.delivery.route.AliasesFile;
import org.mailroom.delivery.route.Router;
import org.mailroom.delivery.route.SenderBinding;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.daemon.control.ControlRequest;
import org.mailroom.daemon.control.ControlResponse;
import org.mailroom.daemon.control.ControlServer;
import org.mailroom.daemon.health.Health;
import org.mailroom.daemon.http.HttpListeners;
import org.mailroom.daemon.control.QueueHandler;
import org.mailroom.daemon.submit.LocalSubmission;
import org.mailroom.daemon.submit.SubmitServer;
import org.mailroom.daemon.submit.TrustedUsers;
import org.mailroom.core.unix.Passwd;
import org.mailroom.imap.server.ImapInitializer;
import org.mailroom.imap.server.ImapSettings;
import org.mailroom.imap.server.UserConnections;
import org.mailroom.pop3.MaildropLocks;
import org.mailroom.pop3.Pop3Initializer;
import org.mailroom.pop3.Pop3Settings;
import org.mailroom.smtp.server.SmtpInitializer;
import org.mailroom.smtp.server.SmtpSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon: every module wired with plain constructors. {@link #start} returns once all
 * listeners are bound; {@link #shutdown} is called from the JVM's shutdown hook (SIGTERM, SIGINT).
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.daemon");
    public static final String USERS_FILE = "users.properties";

    private final Config config;
    private final BlockingExecutor blocking;
    private final NetServer net;
    private final TlsContexts tls;
    /** Housekeeping off the event loops: certificate renewals are picked up within a minute. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "housekeeping");
        t.setDaemon(true);
        return t;
    });

    private final Outbound outbound;
    private final ControlServer control;
    private final SubmitServer submit;
    private final Reload reload;

    private Daemon(Config config, BlockingExecutor blocking, NetServer net, TlsContexts tls, Outbound outbound,
                   ControlServer control, SubmitServer submit, Reload reload) {
        this.reload = reload;
        this.outbound = outbound;
        this.control = control;
        this.submit = submit;
        this.config = config;
        this.blocking = blocking;
        this.net = net;
        this.tls = tls;
        timer.scheduleWithFixedDelay(tls::reloadIfChanged, 60, 60, TimeUnit.SECONDS);
    }

    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);

    public NetServer net() { return net; }

    /** Blocks until {@link #shutdown} has finished. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The account store every service shares (also what the {@code user} commands change). */
    public static AccountStore accountStore(Config config) {
        return new PropertiesAccountStore(config.configDir().resolve(USERS_FILE), new PasswordHasher(),
                config.get(Keys.AUTH_CACHE_TTL));
    }

    /** Checks what can be checked without binding ports: values, the aliases, senders and quotas files, TLS files. */
    public static void validate(Config config) throws ConfigError {
        org.mailroom.delivery.route.Aliases.load(config.configDir().resolve("aliases"));
        org.mailroom.delivery.route.Aliases.load(config.configDir().resolve("senders"));
        QuotaFile.load(config.configDir().resolve("quotas"));
        if (config.get(Keys.TLS_CERT).isEmpty() && config.get(Keys.TLS_KEY).isEmpty()) return; // self-signed: made at start
        try {
            TlsContexts.load(config, config.dataDir(), hostname(config));
        } catch (IOException e) {
            throw new ConfigError(config.configDir().resolve("mailroom.properties"), 0, Keys.TLS_CERT.name(), e.getMessage());
        }
    }

    public static Daemon start(Config config) throws IOException, ConfigError {
        return start(config, () -> org.mailroom.config.ConfigLoader.load(config.configDir()));
    }

    /**
     * Reload (SIGHUP) on a housekeeping thread; returns at once. What changes live and what needs a
     * restart: {@link Reload}.
     */
    public void requestReload() {
        try {
            timer.execute(reload::run);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.info("reload: ignored, the daemon is stopping");
        }
    }

    /**
     * @param reloadSource reads the configuration again on reload (the file plus the command
     *                     line's overrides)
     */
    public static Daemon start(Config config, Reload.Source reloadSource) throws IOException, ConfigError {
        String hostname = hostname(config);
        Path data = config.dataDir();
        Files.createDirectories(data);
        Path spool = data.resolve("tmp");
        cleanSpool(spool);
        TlsContexts tls = TlsContexts.load(config, data, hostname);

        BlockingExecutor blocking = new BlockingExecutor(config.get(Keys.BLOCKING_THREADS), 10_000);
        Metrics metrics = new Metrics(); // counted by the modules, served at /metrics (org.mailroom.daemon.http)
        AccountStore accounts = accountStore(config);
        Authenticator auth = new Authenticator(accounts, config.get(Keys.DOMAINS).isEmpty()
                ? hostname : config.get(Keys.DOMAINS).get(0), metrics);
        QuotaFile quotas = new QuotaFile(config.configDir().resolve("quotas"), config.get(Keys.QUOTA_STORAGE),
                config.get(Keys.QUOTA_MESSAGES));
        SystemMailboxes system = config.get(Keys.LOCAL_SYSTEM_USERS) ? new SystemMailboxes(hostname,
                Path.of(config.get(Keys.LOCAL_SPOOL_DIR)), config.get(Keys.LOCAL_MIN_UID), Passwd.system(),
                config.get(Keys.LOCAL_FORWARD_PROGRAMS)) : null;
        boolean homeMaildirs = system != null && config.get(Keys.LOCAL_SYSTEM_MAILBOX).equals("maildir");
        MailStore store = mailStore(config, new MaildirStore(data.resolve("mail"), hostname, quotas,
                config.get(Keys.MAILBOX_UNLOAD_AFTER)), quotas,
                homeMaildirs ? null : system);
        if (homeMaildirs) store = new HomeMaildirs(store, system, hostname); // issue 8: ~/Maildir/ instead of the spool
        AliasesFile aliases = new AliasesFile(config.configDir().resolve("aliases"));
        AliasesFile senders = new AliasesFile(config.configDir().resolve("senders"));
        Reload reload = new Reload(config, reloadSource, Daemon::validate, List.of(tls::reloadIfChanged,
                () -> refreshAccounts(accounts), aliases::get, senders::get));
        Router router = system == null ? new Router(localDomains(config, hostname), accounts, aliases)
                : new Router(localDomains(config, hostname), accounts, aliases, java.util.Set.of(system.domain(), "localhost"),
                        system.domain(), system);
        // issue 8, local.forwardPrograms: ~/.forward commands and files, run as their user through setpriv
        LocalDelivery local = new LocalDelivery(store, system != null && system.forwardPrograms()
                ? new ForwardTargets(Passwd.system(), config.get(Keys.LOCAL_COMMAND_TIMEOUT), ZoneId.systemDefault()) : null);
        Outbound out = Outbound.start(config, hostname, data, router, local, metrics);
        // local submission (bin/sendmail) relays like an authenticated client: the kernel told us its user;
        // relay.networks is read per check so that a reload changes it
        Predicate<SessionInfo> relayAllowed = s -> s.authUser() != null
                || (s.client() == null && LocalSubmission.LISTENER.equals(s.listener()))
                || (s.client() != null && reload.current().get(Keys.RELAY_NETWORKS).stream()
                        .anyMatch(n -> n.contains(s.client().getAddress())));
        // a queue writer with a handoff gives each message to the queue manager itself (Outbound);
        // a wake(id) after that could only start a second attempt
        java.util.function.Consumer<String> wake = out.writer().handsOff() ? id -> { } : out.manager()::wake;
        DeliverySink sink = new DeliverySink(hostname, router, local, out.writer(), wake, relayAllowed,
                new SenderBinding(config.get(Keys.AUTH_SENDER_BINDING), router, senders),
                ZoneId.systemDefault(), metrics);

        NetServer net = new NetServer(config.get(Keys.NET_MAX_CONNECTIONS),
                config.get(Keys.NET_MAX_CONNECTIONS_PER_CLIENT), config.get(Keys.NET_IO_THREADS));
        Health health = new Health(metrics, net::listeners, out.store(), Health.version(), System::currentTimeMillis);
        ControlServer control;
        SubmitServer submit;
        try {
            QueueHandler queueCommands = new QueueHandler(out.store(), out.manager()::wake, out.manager()::wake, out.manager()::flush,
                    Clock.systemUTC());
            // run/ is 0700 while control.sock is bound and made 0600; opened to 0711 only once both
            // sockets have their final modes, so nobody can reach either in between
            control = ControlServer.start(ControlServer.socketPath(data), req -> switch (req.command()) {
                case RELOAD -> reload.answer();
                case STATUS -> ControlResponse.ok(health.status());
                default -> queueCommands.handle(req);
            });
            try {
                LocalSubmission submission = new LocalSubmission(sink, hostname, myorigin(config, hostname),
                        new TrustedUsers(config.get(Keys.LOCAL_TRUSTED_USERS), System.getProperty("user.name"), Passwd.system()),
                        Passwd.system(), ZoneId.systemDefault());
                submit = SubmitServer.start(SubmitServer.socketPath(data), submission, new SubmitServer.Limits(
                        config.get(Keys.SMTP_MAX_MESSAGE_SIZE), config.get(Keys.SMTP_MAX_RECIPIENTS)), spool);
                ControlServer.openDirectory(control.socket().toAbsolutePath().getParent());
            } catch (IOException | RuntimeException e) {
                control.close();
                throw e;
            }
        } catch (IOException e) {
            net.close();
            out.stop(Duration.ZERO);
            blocking.close();
            throw e;
        }
        Daemon d = new Daemon(config, blocking, net, tls, out, control, submit, reload);
        Function<Channel, SslHandler> startTls = ch -> tls.newServerHandler(ch, true);
        Function<Channel, SslHandler> implicitTls = ch -> tls.newServerHandler(ch, false);
        // one throttle for every listener that checks passwords: guessing is counted across protocols
        AuthThrottle.Policy base = AuthThrottle.Policy.DEFAULT;
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Policy(base.freeFailures(), config.get(Keys.AUTH_FAILURE_DELAY),
                config.get(Keys.AUTH_FAILURE_DELAY_MAX), config.get(Keys.AUTH_LOCKOUT_AFTER), config.get(Keys.AUTH_LOCKOUT_TIME),
                base.accountFreeFailures(), base.forgetAfter(), base.maxEntries()), System::nanoTime);
        boolean plaintextOnLoopback = config.get(Keys.AUTH_PLAINTEXT_ON_LOOPBACK);
        try {
            bind(net, "smtp", config.get(Keys.SMTP_LISTEN), new SmtpInitializer(
                    SmtpSettings.from(config, "smtp", hostname, spool), sink, blocking, startTls, null, null, null, metrics), null);
            // RFC 6409 4.3 and RFC 8314 3: submission with AUTH required, over STARTTLS or implicit TLS
            bind(net, "submission", config.get(Keys.SUBMISSION_LISTEN), new SmtpInitializer(
                    SmtpSettings.from(config, "submission", hostname, spool).withAuth(true, true, plaintextOnLoopback),
                    sink, blocking, startTls, auth, throttle, tls.clientCertificates(), metrics), null);
            bind(net, "submissions", config.get(Keys.SUBMISSIONS_LISTEN), new SmtpInitializer(
                    SmtpSettings.from(config, "submissions", hostname, spool).withAuth(true, true, plaintextOnLoopback),
                    sink, blocking, null, auth, throttle, tls.clientCertificates(), metrics), implicitTls);
            MaildropLocks pop3Locks = new MaildropLocks(); // one POP3 session per mailbox over pop3 and pop3s
            Pop3Settings pop3 = new Pop3Settings(hostname, "pop3", config.get(Keys.POP3_IDLE_TIMEOUT),
                    config.get(Keys.AUTH_PLAINTEXT_ON_LOOPBACK));
            bind(net, "pop3", config.get(Keys.POP3_LISTEN),
                    new Pop3Initializer(pop3, store, auth, blocking, startTls, pop3Locks, throttle), null);
            Pop3Settings pop3s = new Pop3Settings(hostname, "pop3s", config.get(Keys.POP3_IDLE_TIMEOUT),
                    config.get(Keys.AUTH_PLAINTEXT_ON_LOOPBACK));
            bind(net, "pop3s", config.get(Keys.POP3S_LISTEN),
                    new Pop3Initializer(pop3s, store, auth, blocking, null, pop3Locks, throttle), implicitTls);
            // RFC 9051 with STARTTLS on imap, RFC 8314 implicit TLS on imaps; one per-user count over both
            UserConnections imapUsers = new UserConnections();
            bind(net, "imap", config.get(Keys.IMAP_LISTEN), new ImapInitializer(ImapSettings.from(config, "imap", hostname, spool),
                    store, auth, blocking, startTls, throttle, imapUsers), null);
            bind(net, "imaps", config.get(Keys.IMAPS_LISTEN), new ImapInitializer(ImapSettings.from(config, "imaps", hostname, spool),
                    store, auth, blocking, null, throttle, imapUsers), implicitTls);
            HttpListeners.bind(net, config, hostname, implicitTls, metrics, blocking); // autoconfig, autodiscover, /metrics
        } catch (IOException e) {
            net.shutdown(Duration.ZERO);
            net.close();
            submit.close();
            control.close();
            out.stop(Duration.ZERO);
            blocking.close();
            throw e;
        }
        health.registerListeners();
        log.info("mailroom started: hostname={}, domains={}, data={}, config={}", hostname,
                String.join(",", config.get(Keys.DOMAINS)), data, config.configDir().toAbsolutePath());
        return d;
    }

    private static void bind(NetServer net, String name, List<ListenAddress> addrs,
                             org.mailroom.core.net.ProtocolInitializer init,
                             Function<Channel, SslHandler> implicitTls) throws IOException {
        if (addrs.isEmpty()) {
            log.info("{}: off (no listen address)", name);
            return;
        }
        net.bind(name, addrs, init, implicitTls);
    }

    /**
     * Graceful stop: no new connections; sessions finish their transaction within
     * {@code shutdown.grace}; deliveries already handed to the blocking executor complete before
     * the JVM exits, so a message answered with 250 is always on disk.
     */
    public void shutdown() {
        Duration grace = config.get(Keys.SHUTDOWN_GRACE);
        log.info("mailroom stopping: grace period {}", grace);
        timer.shutdownNow();
        control.close(); // no queue commands while the queue manager stops; removes control.sock
        submit.close(); // submissions in progress finish (they end in the sink, still running); removes submit.sock
        boolean clean = net.shutdown(grace);
        try {
            if (!blocking.shutdown(30_000)) log.warn("blocking work still running after 30s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        outbound.stop(grace); // attempts in progress end as they are: the queue keeps what they did not finish
        net.close();
        log.info("mailroom stopped{}", clean ? "" : " (some sessions were cut off after the grace period)");
        stopped.countDown();
    }

    /** {@code myorigin}, else the host name: the domain of local users' mail (docs/sendmail.md). */
    static String myorigin(Config config, String hostname) {
        String o = config.get(Keys.MYORIGIN);
        return o.isEmpty() ? hostname : o;
    }

    /**
     * {@code domains}, plus the host name and {@code localhost}: mail to {@code root@<hostname>}
     * (what {@code sendmail root} becomes with the default {@code myorigin}) must stay on this
     * host and meet the aliases, never go to the host's own MX, as Postfix's default
     * {@code mydestination = $myhostname, localhost} keeps it.
     */
    static List<String> localDomains(Config config, String hostname) {
        java.util.LinkedHashSet<String> d = new java.util.LinkedHashSet<>(config.get(Keys.DOMAINS));
        d.add(hostname.toLowerCase(java.util.Locale.ROOT));
        d.add("localhost");
        return List.copyOf(d);
    }

    /** {@code hostname} from the config, else the kernel's host name, else {@code localhost}. */
    static String hostname(Config config) {
        String h = config.get(Keys.HOSTNAME);
        if (!h.isEmpty()) return h;
        try {
            String k = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
            if (!k.isEmpty()) return k.toLowerCase(java.util.Locale.ROOT);
        } catch (IOException ignored) {
            // not Linux: ask the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
        } catch (IOException e) {
            return "localhost";
        }
    }

    /**
     * The Maildir store alone, or, when {@code mailbox.format} or any {@code mailbox.format.<address>}
     * asks for mbox, the store that routes each account's INBOX by its format (docs/mbox.md).
     * With {@code local.systemUsers} the Unix users' INBOXes are their spool files (SystemMailboxes).
     */
    static MailStore mailStore(Config config, MaildirStore maildir, org.mailroom.core.store.Quota.Policy quotas) {
        return mailStore(config, maildir, quotas, null);
    }

    /** @param system the Unix users' spool mailboxes (local.systemUsers), or null */
    static MailStore mailStore(Config config, MaildirStore maildir, org.mailroom.core.store.Quota.Policy quotas,
                               SystemMailboxes system) {
        if (system == null && !config.get(Keys.MAILBOX_FORMAT).equals("mbox") && !config.mailboxFormats().containsValue("mbox")) {
            return maildir;
        }
        Function<String, Path> virtual = MboxStore.defaultInbox(maildir);
        MboxStore mbox = system == null
                ? new MboxStore(maildir, account -> config.mailboxFormat(account).equals("mbox"), virtual, quotas)
                : new MboxStore(maildir, account -> system.owns(account) || config.mailboxFormat(account).equals("mbox"),
                        account -> system.owns(account) ? system.spool(account) : virtual.apply(account), quotas, system);
        try {
            for (String a : mbox.recoverInterrupted()) log.warn("{}: finished an mbox rewrite a crash had interrupted", a);
        } catch (IOException e) {
            log.error("mbox recovery at start: {}", e.toString()); // retried when the account's INBOX is opened
        }
        return mbox;
    }

    /** Reads users.properties now if it changed (a reload); a broken file is logged by the store. */
    private static void refreshAccounts(AccountStore accounts) {
        try {
            accounts.list();
        } catch (IOException e) {
            log.warn("reload: accounts: {}", e.getMessage());
        }
    }

    /** Spool files of messages that were being received when the daemon died; never acknowledged. */
    private static void cleanSpool(Path spool) throws IOException {
        Files.createDirectories(spool);
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.deleteIfExists(p);
        }
    }
}
