package org.mailroom.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Key;
import org.mailroom.config.Keys;
import org.mailroom.daemon.control.ControlResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reload without downtime (SIGHUP, {@code systemctl reload mailroom}): re-reads
 * {@code mailroom.properties}, checks it as a start would, and if it is good puts it in force;
 * then has the certificate, the accounts and the aliases re-read. Nothing is closed: listeners
 * stay bound and open sessions go on with what they started with.
 *
 * <p>What changes live, and what needs a restart:
 * <ul>
 *   <li><b>Live.</b> The contents of the certificate and key files (new TLS handshakes use the
 *       new pair, {@link org.mailroom.core.tls.TlsContexts#reloadIfChanged}); accounts and
 *       passwords in {@code users.properties}; the {@code aliases} and {@code senders} files;
 *       {@code relay.networks} (read per MAIL/RCPT through {@link #current}). Those files are
 *       also re-read on their own when they change; the reload makes it happen now and reports
 *       a broken one.</li>
 *   <li><b>Restart.</b> Every other key: listen addresses (the sockets are bound once),
 *       {@code data.dir}, the TLS file <em>paths</em>, session limits and timeouts (each
 *       listener's settings are built at start), queue, delivery and DNS settings,
 *       {@code transport.*}. A changed one is logged as {@code reload: restart needed for
 *       <key>}; the running value stays in force until the restart.</li>
 * </ul>
 *
 * <p>A new configuration that does not load or validate is rejected as a whole: one line
 * {@code reload: rejected: <file>:<line>: <key>: <reason>; keeping the running configuration},
 * and nothing changes. Reloads are serialized; {@link #run} is blocking (file reads, TLS parsing)
 * and belongs on a housekeeping thread, never on a signal or event-loop thread. Besides SIGHUP,
 * {@code mailroom reload} asks for one over the control socket and prints the outcome
 * ({@link #answer}).
 */
public final class Reload {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.reload");

    /** Keys whose new value takes effect without a restart. */
    static final Set<Key<?>> LIVE = Set.of(Keys.RELAY_NETWORKS);

    /** Where a new configuration comes from (the file, plus command-line overrides such as --data). */
    @FunctionalInterface
    public interface Source {
        Config load() throws ConfigError;
    }

    /** Checks a loaded configuration the way a start would (TLS files, aliases), without binding. */
    @FunctionalInterface
    public interface Check {
        void check(Config config) throws ConfigError;
    }

    /**
     * What one reload did.
     *
     * @param rejected      the error that kept the new configuration out, or null when it was taken
     * @param applied       keys whose new value is now in force
     * @param restartNeeded keys that changed but keep their running value until a restart
     */
    public record Result(ConfigError rejected, List<String> applied, List<String> restartNeeded) {
        public boolean isRejected() { return rejected != null; }
    }

    private final Source source;
    private final Check check;
    private final List<Runnable> refresh;
    private volatile Config current;

    /**
     * @param running the configuration the daemon started with
     * @param source  reads the configuration again
     * @param check   validation beyond parsing (e.g. {@link Daemon#validate})
     * @param refresh re-reads of files that are live anyway (certificate, accounts, aliases), run
     *                after a configuration was taken, in order; each logs its own failures
     */
    public Reload(Config running, Source source, Check check, List<Runnable> refresh) {
        this.current = Objects.requireNonNull(running);
        this.source = Objects.requireNonNull(source);
        this.check = Objects.requireNonNull(check);
        this.refresh = List.copyOf(refresh);
    }

    /** The configuration in force: the start's, with the {@link #LIVE} keys of the last good reload. */
    public Config current() { return current; }

    /** Reads, checks and applies the configuration; logs what it did. Never throws. */
    public synchronized Result run() {
        log.info("reload: reading {}", current.configDir().resolve("mailroom.properties"));
        Config next;
        try {
            next = source.load();
            check.check(next);
        } catch (ConfigError e) {
            log.warn("reload: rejected: {}; keeping the running configuration", e.oneLine());
            return new Result(e, List.of(), List.of());
        }
        List<String> applied = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        Config merged = current;
        for (Key<?> k : Keys.ALL) {
            if (Objects.equals(current.get(k), next.get(k))) continue;
            if (LIVE.contains(k)) {
                merged = merged.withValueOf(k, next);
                applied.add(k.name());
            } else {
                restart.add(k.name());
            }
        }
        if (!current.transports().equals(next.transports())) {
            for (String d : changedDomains(current.transports(), next.transports())) restart.add(Keys.TRANSPORT_PREFIX + d);
        }
        if (!current.mailboxFormats().equals(next.mailboxFormats())) {
            for (String a : changedDomains(current.mailboxFormats(), next.mailboxFormats())) {
                restart.add(Keys.MAILBOX_FORMAT_PREFIX + a);
            }
        }
        current = merged;
        for (String k : applied) log.info("reload: {} = {} now in force", k, merged.get(Keys.byName(k)));
        for (String k : restart) log.warn("reload: restart needed for {}", k);
        for (Runnable r : refresh) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("reload: {}", e.toString());
            }
        }
        log.info("reload: done ({} applied, {} need a restart)", applied.size(), restart.size());
        return new Result(null, List.copyOf(applied), List.copyOf(restart));
    }

    /**
     * {@code reload} on the control socket ({@code mailroom reload}): runs a reload now, on the
     * caller's thread, and answers what it did: {@code applied: <key>} and {@code restart needed
     * for <key>} lines, or {@code ERR} with the rejection's one line.
     */
    public ControlResponse answer() {
        Result r = run();
        if (r.isRejected()) return ControlResponse.err(printable(r.rejected().oneLine()));
        List<String> lines = new ArrayList<>();
        for (String k : r.applied()) lines.add("applied: " + k);
        for (String k : r.restartNeeded()) lines.add("restart needed for " + printable(k));
        return ControlResponse.ok(lines);
    }

    /** A value with an escaped line end (\n in the file) must not break the one-line answer. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return b.toString();
    }

    /**
     * Makes SIGHUP call {@code request} instead of ending the JVM (its default). The call comes on
     * the JVM's signal-dispatch thread: {@code request} must only hand the work on (e.g. submit
     * {@link #run} to a housekeeping executor) and return.
     *
     * @return false when the signal cannot be caught (JVM started with -Xrs, no SIGHUP); logged
     */
    public static boolean onHangup(Runnable request) {
        try {
            // XXX sun.misc.Signal (module jdk.unsupported) is the only way the JDK offers to catch a
            // signal; it has been stable since Java 1.2 and JEP 260 kept it accessible for exactly
            // this use. If it ever goes, "mailroom reload" over the control socket is the way left.
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> request.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("reload: SIGHUP cannot be caught ({}); restart to change the configuration", e.getMessage());
            return false;
        }
    }

    private static List<String> changedDomains(Map<String, String> a, Map<String, String> b) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String d : all) if (!Objects.equals(a.get(d), b.get(d))) out.add(d);
        return out;
    }
}
