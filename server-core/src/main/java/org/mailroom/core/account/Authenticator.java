package org.mailroom.core.account;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.mailroom.core.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protocol sessions call to check a login: qualifies a bare user name with the default
 * domain, asks the {@link AccountStore}, wipes the password and writes one log line per attempt
 * ({@code login: user=<alice@example.org>, service=pop3, client=[127.0.0.1], result=ok}). Blocking:
 * call it through the {@link org.mailroom.core.exec.BlockingExecutor}.
 *
 * <p>The log line goes to the logger {@code org.mailroom.login} at INFO, so a postmaster can route
 * it to its own file (fail2ban reads it); {@code result} is {@code ok}, {@code failed} (unknown
 * user or wrong password: the line does not say which) or {@code error} (the store could not be
 * read, with the reason in parentheses). The password never reaches a log.
 */
public final class Authenticator {
    private static final Logger loginLog = LoggerFactory.getLogger("org.mailroom.login");
    /** Longest login echoed into the log; longer ones are cut. */
    private static final int MAX_LOGGED_LOGIN = 320;

    private final AccountStore store;
    private final String defaultDomain;
    private final Metrics metrics;

    /** @param defaultDomain the domain of bare user names ({@code alice} is {@code alice@<domain>}) */
    public Authenticator(AccountStore store, String defaultDomain) {
        this(store, defaultDomain, new Metrics());
    }

    /**
     * As above, and every login line is also counted in {@code metrics} as
     * {@code mailroom_logins_total{service, result}} ({@code result} ok, failed or error).
     */
    public Authenticator(AccountStore store, String defaultDomain, Metrics metrics) {
        this.store = store;
        this.defaultDomain = defaultDomain.trim().toLowerCase(Locale.ROOT);
        this.metrics = metrics;
    }

    public AccountStore store() { return store; }

    /**
     * Checks one login. Never throws for a bad login or an unreadable store: both are an empty
     * result (the session answers with its protocol's authentication failure).
     *
     * @param service  {@code smtp}, {@code pop3}, {@code imap} ... for the log line
     * @param client   the peer's address, for the log line (null: unknown)
     * @param login    what the client gave: an address, or a bare user name in the default domain
     * @param password wiped before this returns, whatever the outcome
     * @return the account when the password matches
     */
    public Optional<Account> authenticate(String service, InetAddress client, String login, char[] password) {
        String user = qualify(login == null ? "" : login);
        String result;
        Optional<Account> account = Optional.empty();
        try {
            account = store.authenticate(user, password);
            result = account.isPresent() ? "ok" : "failed";
        } catch (IOException e) {
            result = "error (" + printable(String.valueOf(e.getMessage())) + ")";
        } finally {
            if (password != null) Arrays.fill(password, '\0');
        }
        loginLog.info("user=<{}>, service={}, client=[{}], result={}",
                printable(user), service, client == null ? "unknown" : client.getHostAddress(), result);
        count(service, result);
        return account;
    }

    /**
     * The SCRAM-SHA-256 keys for a login (RFC 5802 3), for a mechanism that checks the proof
     * itself and then calls {@link #record}. Empty for unknown accounts, accounts without SCRAM
     * keys and an unreadable store (logged here; the login then fails like a wrong password).
     */
    public Optional<ScramCredentials> scramSha256(String login) {
        try {
            return store.scramSha256(qualify(login == null ? "" : login));
        } catch (IOException e) {
            loginLog.warn("user=<{}>, cannot read SCRAM keys: {}", printable(qualify(login)), printable(String.valueOf(e.getMessage())));
            return Optional.empty();
        }
    }

    /**
     * Writes the login line for a check made elsewhere (a SCRAM proof, a refused authorization
     * identity), in the format of {@link #authenticate}.
     *
     * @param ok     the account when the login succeeded, else empty
     * @param result what to log when it failed: {@code failed}, or {@code failed (reason)}
     * @return {@code ok}
     */
    public Optional<Account> record(String service, InetAddress client, String login, Optional<Account> ok, String result) {
        loginLog.info("user=<{}>, service={}, client=[{}], result={}", printable(qualify(login == null ? "" : login)),
                service, client == null ? "unknown" : client.getHostAddress(), ok.isPresent() ? "ok" : printable(result));
        count(service, ok.isPresent() ? "ok" : result);
        return ok;
    }

    /** The login line's outcome as a metric: the first word of {@code result} (ok, failed, error). */
    private void count(String service, String result) {
        int sp = result.indexOf(' ');
        metrics.counter("mailroom_logins_total", "Logins checked, by service and result (ok, failed, error).",
                "service", service, "result", sp < 0 ? result : result.substring(0, sp)).inc();
    }

    /** {@code Alice} becomes {@code alice@<defaultDomain>}; addresses are only normalized. */
    public String qualify(String login) {
        String l = AccountStore.normalize(login == null ? "" : login);
        return l.indexOf('@') >= 0 || l.isEmpty() ? l : l + "@" + defaultDomain;
    }

    /**
     * The login comes from the network: control characters (CR, LF) would let a client forge
     * log lines, so they are shown as {@code ?}, and very long names are cut.
     */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_LOGGED_LOGIN + 3));
        for (int i = 0; i < s.length() && i < MAX_LOGGED_LOGIN; i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > MAX_LOGGED_LOGIN) sb.append("...");
        return sb.toString();
    }
}
