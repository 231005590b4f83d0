package org.mailroom.config;

import java.time.Duration;
import java.util.List;

/**
 * Every configuration key, its default and its documentation. A key here is the property name in
 * {@code mailroom.properties} letter for letter ({@code smtp.maxRecipients} is
 * {@code SMTP_MAX_RECIPIENTS}), so one grep finds the code, the docs and the default.
 * {@code docs/configuration.md} lists the same keys; {@code KeysDocTest} keeps the two in step.
 */
public final class Keys {
    private Keys() {}

    private static <T> Key<T> key(String name, String def, java.util.function.Function<String, T> p, String doc) {
        return new Key<>(name, def, p, doc);
    }

    // ---- general ----------------------------------------------------------------------------
    public static final Key<String> HOSTNAME = key("hostname", "", Key::hostname,
            "Name of this host in greetings, Received: headers and Maildir file names. Empty: the system host name.");
    public static final Key<List<String>> DOMAINS = key("domains", "localhost", Key::domains,
            "Local domains (comma-separated): mail to them is delivered here; every other domain is remote. The host name and localhost are always local too (their mail meets the aliases).");
    public static final Key<String> MYORIGIN = key("myorigin", "", Key::hostname,
            "Domain of mail sent by local users through sendmail (user@myorigin) and of recipients given without a domain. Empty: hostname.");
    public static final Key<List<String>> LOCAL_TRUSTED_USERS = key("local.trustedUsers", "", Key::names,
            "Unix users (and %group for a group's members) whose sendmail -f is taken without an X-Authentication-Warning; root and the daemon's own user always are.");
    public static final Key<Boolean> LOCAL_SYSTEM_USERS = key("local.systemUsers", "false", Key::bool,
            "Deliver mail for user@<hostname>, user@localhost and bare user to the host's Unix accounts (uid >= local.minUid) in their system mailbox (local.systemMailbox). See local-mail.md.");
    public static final Key<String> LOCAL_SPOOL_DIR = key("local.spoolDir", "/var/mail", Key::string,
            "Directory of the Unix users' system mailboxes (mbox files named by user, owner the user, group mail, mode 0660).");
    public static final Key<Integer> LOCAL_MIN_UID = key("local.minUid", "1000", Key.integer(0, Integer.MAX_VALUE),
            "Lowest uid of a Unix account that receives mail; root and system accounts below it reach a person only through the aliases.");
    public static final Key<String> LOCAL_SYSTEM_MAILBOX = key("local.systemMailbox", "spool", Key.oneOf("spool", "maildir"),
            "Where a Unix user's mail goes: spool (<local.spoolDir>/<user>, an mbox) or maildir (<home>/Maildir/ from the passwd entry, made the user's, mode 0700). maildir needs CAP_DAC_OVERRIDE; see local-mail.md.");
    public static final Key<Boolean> LOCAL_FORWARD_PROGRAMS = key("local.forwardPrograms", "false", Key::bool,
            "Let a Unix user's ~/.forward deliver to |command and /file targets, run as the user through setpriv (needs CAP_SETUID and CAP_SETGID). false: they are refused and bounced.");
    public static final Key<Duration> LOCAL_COMMAND_TIMEOUT = key("local.commandTimeout", "5m", Key::duration,
            "How long a ~/.forward command or file append may run before its process group is killed and the delivery deferred.");
    public static final Key<String> DATA_DIR = key("data.dir", "./data", Key::string,
            "Data directory: mail/, queue/, tls/. Overridden by --data on the command line.");
    public static final Key<Integer> BLOCKING_THREADS = key("blocking.threads", "32", Key.integer(2, 1024),
            "Threads for blocking work (disk, fsync, password hashing); never done on network threads.");
    public static final Key<Duration> SHUTDOWN_GRACE = key("shutdown.grace", "30s", Key::duration,
            "On SIGTERM: how long open sessions may finish their transaction before they are closed.");

    public static final Key<String> MAILBOX_FORMAT = key("mailbox.format", "maildir", Key.oneOf("maildir", "mbox"),
            "Format of INBOXes: maildir (<data>/mail/<domain>/<local-part>/) or mbox (an mboxrd file inbox.mbox in that directory; other folders stay Maildir). Per account: mailbox.format.<address>.");
    public static final Key<Duration> MAILBOX_UNLOAD_AFTER = key("mailbox.unloadAfter", "10m", Key::duration,
            "A Maildir folder that no session has open is dropped from memory after this long (a 100,000-message folder holds ~60 MB); opening it again reads its index. At least 1s.");

    // ---- network limits (all listeners) -----------------------------------------------------
    public static final Key<Integer> NET_MAX_CONNECTIONS = key("net.maxConnections", "2000", Key.integer(1, 1_000_000),
            "Open connections allowed over all listeners; more are answered with a temporary error and closed.");
    public static final Key<Integer> NET_MAX_CONNECTIONS_PER_CLIENT = key("net.maxConnectionsPerClient", "100", Key.integer(1, 1_000_000),
            "Open connections allowed from one client IP address over all listeners.");

    // ---- TLS ----------------------------------------------------------------------------------
    public static final Key<String> TLS_CERT = key("tls.cert", "", Key::string,
            "PEM certificate chain (e.g. Let's Encrypt fullchain.pem). Empty: a self-signed certificate in <data>/tls/ is made on first start.");
    public static final Key<String> TLS_KEY = key("tls.key", "", Key::string,
            "PEM private key (RSA or EC; PKCS#1, SEC1 or PKCS#8) for tls.cert.");
    public static final Key<String> TLS_CLIENT_CA = key("tls.clientCa", "", Key::string,
            "PEM file of CA certificates for client certificates (SASL EXTERNAL). Empty: no client certificate is asked for.");

    // ---- authentication ----------------------------------------------------------------------
    public static final Key<Boolean> AUTH_PLAINTEXT_ON_LOOPBACK = key("auth.plaintextOnLoopback", "true", Key::bool,
            "Allow passwords over unencrypted connections from loopback clients (127.0.0.0/8, ::1). Elsewhere TLS is always required.");

    public static final Key<Boolean> AUTH_SENDER_BINDING = key("auth.senderBinding", "true", Key::bool,
            "Authenticated users may send only as their own addresses, the aliases that lead to them and what the senders file grants (553 5.7.1 otherwise).");

    public static final Key<Duration> AUTH_FAILURE_DELAY = key("auth.failureDelay", "1s", Key::duration,
            "Delay before answering the third wrong password from one client address; doubles with each further one ...");
    public static final Key<Duration> AUTH_FAILURE_DELAY_MAX = key("auth.failureDelayMax", "15s", Key::duration,
            "... up to this.");
    public static final Key<Integer> AUTH_LOCKOUT_AFTER = key("auth.lockoutAfter", "10", Key.integer(1, 1_000_000),
            "Wrong passwords from one client address after which it may not log in for auth.lockoutTime (a correct password from elsewhere still works).");
    public static final Key<Duration> AUTH_LOCKOUT_TIME = key("auth.lockoutTime", "5m", Key::duration,
            "How long such a lockout lasts.");
    public static final Key<Duration> AUTH_CACHE_TTL = key("auth.cacheTtl", "5m", Key::duration,
            "A password that verified may log in to that account again for this long without the Argon2id hash (~40 ms CPU); a wrong password always costs it. 0: off.");

    // ---- SMTP MTA listener ------------------------------------------------------------------
    public static final Key<List<ListenAddress>> SMTP_LISTEN = key("smtp.listen", "127.0.0.1:10025", Key::listen,
            "SMTP MTA listener (mail from other servers to local domains). Production: *:25. Empty: off.");
    public static final Key<Long> SMTP_MAX_MESSAGE_SIZE = key("smtp.maxMessageSize", "25M", Key::size,
            "Largest message accepted (advertised as SIZE, RFC 1870).");
    public static final Key<Integer> SMTP_MAX_RECIPIENTS = key("smtp.maxRecipients", "100", Key.integer(1, 100_000),
            "Recipients per message (RFC 5321 4.5.3.1.8 asks for at least 100).");
    public static final Key<Integer> SMTP_MAX_LINE_LENGTH = key("smtp.maxLineLength", "2048", Key.integer(512, 65_536),
            "Longest command line in octets, CRLF included (RFC 5321 4.5.3.1.4: at least 512).");
    public static final Key<Integer> SMTP_MAX_ERRORS = key("smtp.maxErrors", "20", Key.integer(1, 10_000),
            "Protocol errors in one session before it is closed with 421.");
    public static final Key<Integer> SMTP_MAX_MESSAGES_PER_SESSION = key("smtp.maxMessagesPerSession", "100",
            Key.integer(1, 100_000),
            "MAIL commands accepted in one session; more get 452 4.3.0 and the client goes on in a new session.");
    public static final Key<Duration> SMTP_IDLE_TIMEOUT = key("smtp.idleTimeout", "5m", Key::duration,
            "Time the server waits for the next command (RFC 5321 4.5.3.2.7: 5 minutes).");

    // ---- SMTP submission (MSA) listeners ----------------------------------------------------
    public static final Key<List<ListenAddress>> SUBMISSION_LISTEN = key("submission.listen", "127.0.0.1:10587", Key::listen,
            "Message submission with STARTTLS (RFC 6409); AUTH required before MAIL. Production: *:587. Empty: off.");
    public static final Key<List<ListenAddress>> SUBMISSIONS_LISTEN = key("submissions.listen", "127.0.0.1:10465", Key::listen,
            "Message submission over implicit TLS (RFC 8314); AUTH required before MAIL. Production: *:465. Empty: off.");

    // ---- POP3 ---------------------------------------------------------------------------------
    public static final Key<List<ListenAddress>> POP3_LISTEN = key("pop3.listen", "127.0.0.1:10110", Key::listen,
            "POP3 listener with STLS. Production: *:110. Empty: off.");
    public static final Key<List<ListenAddress>> POP3S_LISTEN = key("pop3s.listen", "127.0.0.1:10995", Key::listen,
            "POP3 over implicit TLS. Production: *:995. Empty: off.");
    public static final Key<Duration> POP3_IDLE_TIMEOUT = key("pop3.idleTimeout", "10m", Key::duration,
            "Inactivity before a POP3 session is closed (RFC 1939 section 3: at least 10 minutes).");

    // ---- HTTP: client autoconfiguration and metrics ---------------------------------------------
    public static final Key<List<ListenAddress>> HTTP_LISTEN = key("http.listen", "127.0.0.1:10080", Key::listen,
            "HTTP listener for Thunderbird autoconfig, Outlook autodiscover and (with metrics.enabled) /metrics. Production: *:80 or behind a reverse proxy. Empty: off.");
    public static final Key<List<ListenAddress>> HTTPS_LISTEN = key("https.listen", "", Key::listen,
            "The same over TLS with the mail certificate (tls.cert). Production: *:443. Empty: off.");
    public static final Key<String> AUTOCONFIG_HOSTNAME = key("autoconfig.hostname", "", Key::hostname,
            "Host name that autoconfig and autodiscover tell mail clients to connect to (must match the certificate). Empty: hostname.");
    public static final Key<Boolean> METRICS_ENABLED = key("metrics.enabled", "false", Key::bool,
            "Serve Prometheus metrics at /metrics (text format 0.0.4).");
    public static final Key<List<ListenAddress>> METRICS_LISTEN = key("metrics.listen", "", Key::listen,
            "Own HTTP listener for /metrics only (e.g. 127.0.0.1:9125). Empty: /metrics is served on http.listen.");
    // ---- IMAP ---------------------------------------------------------------------------------
    public static final Key<List<ListenAddress>> IMAP_LISTEN = key("imap.listen", "127.0.0.1:10143", Key::listen,
            "IMAP listener with STARTTLS. Production: *:143. Empty: off.");
    public static final Key<List<ListenAddress>> IMAPS_LISTEN = key("imaps.listen", "127.0.0.1:10993", Key::listen,
            "IMAP over implicit TLS. Production: *:993. Empty: off.");
    public static final Key<Duration> IMAP_IDLE_TIMEOUT = key("imap.idleTimeout", "30m", Key::duration,
            "Inactivity before an IMAP session is logged out, IDLE included (RFC 9051 5.4: at least 30 minutes).");
    public static final Key<Integer> IMAP_MAX_LINE_LENGTH = key("imap.maxLineLength", "65536", Key.integer(1024, 16 * 1024 * 1024),
            "Longest IMAP command line in octets, CRLF included; longer lines are answered with BAD.");
    public static final Key<Long> IMAP_APPEND_LIMIT = key("imap.appendLimit", "25M", Key::size,
            "Largest message APPEND accepts (advertised as APPENDLIMIT, RFC 7889). Before login literals are limited to 8 KiB.");
    public static final Key<Integer> IMAP_MAX_CONNECTIONS_PER_USER = key("imap.maxConnectionsPerUser", "20", Key.integer(1, 100_000),
            "Logged-in IMAP connections per account over imap and imaps; one more is refused at login with NO [LIMIT].");

    // ---- quota ----------------------------------------------------------------------------------
    public static final Key<Long> QUOTA_STORAGE = key("quota.storage", "0", Key::size,
            "Mail an account may keep, all folders together (RFC822 sizes). 0: no limit. Per account: the quotas file (docs/quota.md).");
    public static final Key<Integer> QUOTA_MESSAGES = key("quota.messages", "0", Key.integer(0, Integer.MAX_VALUE),
            "Messages an account may keep, all folders together. 0: no limit. Per account: the quotas file.");

    public static final Key<Integer> NET_IO_THREADS = key("net.ioThreads", "0", Key.integer(0, 1024),
            "Network event-loop threads. 0: one per CPU core (they never block, so more do not help).");

    // ---- relaying and the queue ----------------------------------------------------------------
    public static final Key<List<Cidr>> RELAY_NETWORKS = key("relay.networks", "127.0.0.0/8, ::1/128", Key::networks,
            "Clients that may relay without authenticating (CIDR list). Authenticated clients may always relay.");
    public static final Key<String> RELAY_SMARTHOST = key("relay.smarthost", "", Key::relayHost,
            "Send all remote mail through this host, [host]:port (e.g. [smtp.gmail.com]:587 for STARTTLS; port 465 always means implicit TLS, RFC 8314). Empty: deliver to each domain's MX.");
    public static final Key<String> RELAY_SMARTHOST_TLS = key("relay.smarthostTls", "require", Key.oneOf("none", "may", "require", "verify", "implicit"),
            "TLS towards the smarthost: none, may (opportunistic), require (STARTTLS or fail), verify (require, and check the certificate and host name; recommended for a public smarthost), implicit (implicit TLS on any port, certificate not checked). On port 465 TLS is always implicit and only verify checks the certificate.");
    public static final Key<String> RELAY_SMARTHOST_USER = key("relay.smarthostUser", "", Key::string,
            "User name for AUTH at the smarthost. Empty: no AUTH.");
    public static final Key<String> RELAY_SMARTHOST_PASSWORD_FILE = key("relay.smarthostPasswordFile", "", Key::string,
            "File whose first line is the smarthost password (relative to the configuration directory; keep it mode 0600). The password is sent only over TLS (AUTH PLAIN, or LOGIN when PLAIN is not offered) and never logged.");
    public static final Key<String> DELIVERY_TLS = key("delivery.tls", "may", Key.oneOf("none", "may", "require", "verify"),
            "TLS towards MX hosts: may (STARTTLS when offered, the usual for MX), require, verify, none.");
    public static final Key<Integer> DELIVERY_MX_PORT = key("delivery.mxPort", "25", Key.integer(1, 65535),
            "Port of remote MX hosts (25; tests point it elsewhere).");
    public static final Key<String> DNS_SERVERS = key("dns.servers", "", Key::string,
            "DNS servers for MX look-ups, ip or ip:port, comma-separated. Empty: the system's (/etc/resolv.conf).");
    public static final Key<Integer> QUEUE_CONCURRENCY = key("queue.concurrency", "20", Key.integer(1, 1000),
            "Messages delivered at once from the queue.");
    public static final Key<Integer> QUEUE_PER_DESTINATION = key("queue.perDestination", "10", Key.integer(1, 1000),
            "Deliveries at once to one destination (domain or relay host).");
    public static final Key<Duration> QUEUE_RETRY_INITIAL = key("queue.retryInitial", "5m", Key::duration,
            "First retry after a temporary failure; doubled after each attempt ...");
    public static final Key<Duration> QUEUE_RETRY_MAX = key("queue.retryMax", "1h", Key::duration,
            "... up to this.");
    public static final Key<Duration> QUEUE_MAX_LIFETIME = key("queue.maxLifetime", "5d", Key::duration,
            "Undelivered after this long, a message is returned to its sender (RFC 5321 4.5.4.1).");
    public static final Key<Duration> QUEUE_DELAY_WARNING = key("queue.delayWarning", "4h", Key::duration,
            "Tell the sender once when a message is still undelivered after this long (0: never).");
    public static final Key<Integer> QUEUE_MAX_RECEIVED = key("queue.maxReceived", "50", Key.integer(1, 1000),
            "A message with more Received: header fields is refused as a mail loop (RFC 5321 6.3).");

    /**
     * {@code transport.<domain> = local | [host]:port}: per-domain routes that override MX look-up.
     * Any number of them; parsed by {@link ConfigLoader} into {@link Config#transports()}.
     */
    public static final String TRANSPORT_PREFIX = "transport.";

    /**
     * {@code mailbox.format.<address> = maildir | mbox}: the INBOX format of one account, overriding
     * {@link #MAILBOX_FORMAT}. Parsed by {@link ConfigLoader} into {@link Config#mailboxFormats()}.
     */
    public static final String MAILBOX_FORMAT_PREFIX = "mailbox.format.";

    /** All keys, in documentation order. */
    public static final List<Key<?>> ALL = List.of(
            HOSTNAME, DOMAINS, MYORIGIN, LOCAL_TRUSTED_USERS, LOCAL_SYSTEM_USERS, LOCAL_SPOOL_DIR, LOCAL_MIN_UID,
            LOCAL_SYSTEM_MAILBOX, LOCAL_FORWARD_PROGRAMS, LOCAL_COMMAND_TIMEOUT, DATA_DIR, BLOCKING_THREADS, SHUTDOWN_GRACE, MAILBOX_FORMAT, MAILBOX_UNLOAD_AFTER,
            NET_MAX_CONNECTIONS, NET_MAX_CONNECTIONS_PER_CLIENT, NET_IO_THREADS,
            TLS_CERT, TLS_KEY, TLS_CLIENT_CA,
            AUTH_PLAINTEXT_ON_LOOPBACK, AUTH_SENDER_BINDING, AUTH_FAILURE_DELAY, AUTH_FAILURE_DELAY_MAX,
            AUTH_LOCKOUT_AFTER, AUTH_LOCKOUT_TIME, AUTH_CACHE_TTL,
            SMTP_LISTEN, SMTP_MAX_MESSAGE_SIZE, SMTP_MAX_RECIPIENTS, SMTP_MAX_LINE_LENGTH, SMTP_MAX_ERRORS, SMTP_MAX_MESSAGES_PER_SESSION, SMTP_IDLE_TIMEOUT,
            SUBMISSION_LISTEN, SUBMISSIONS_LISTEN,
            POP3_LISTEN, POP3S_LISTEN, POP3_IDLE_TIMEOUT,
            HTTP_LISTEN, HTTPS_LISTEN, AUTOCONFIG_HOSTNAME, METRICS_ENABLED, METRICS_LISTEN,
            IMAP_LISTEN, IMAPS_LISTEN, IMAP_IDLE_TIMEOUT, IMAP_MAX_LINE_LENGTH, IMAP_APPEND_LIMIT, IMAP_MAX_CONNECTIONS_PER_USER,
            QUOTA_STORAGE, QUOTA_MESSAGES,
            RELAY_NETWORKS, RELAY_SMARTHOST, RELAY_SMARTHOST_TLS, RELAY_SMARTHOST_USER, RELAY_SMARTHOST_PASSWORD_FILE,
            DELIVERY_TLS, DELIVERY_MX_PORT, DNS_SERVERS,
            QUEUE_CONCURRENCY, QUEUE_PER_DESTINATION, QUEUE_RETRY_INITIAL, QUEUE_RETRY_MAX, QUEUE_MAX_LIFETIME,
            QUEUE_DELAY_WARNING, QUEUE_MAX_RECEIVED);

    public static Key<?> byName(String name) {
        for (Key<?> k : ALL) if (k.name().equals(name)) return k;
        return null;
    }
}
