package org.mailroom.core.account;

import java.net.InetAddress;
import java.util.Optional;

/**
 * What protocol sessions call to check a login: qualifies a bare user name with the default
 * domain, asks the {@link AccountStore}, wipes the password and writes one log line per attempt
 * ({@code login: user=<alice@example.org>, service=pop3, client=[127.0.0.1], result=ok}). Blocking:
 * call it through the {@link org.mailroom.core.exec.BlockingExecutor}.
 */
public final class Authenticator {
    private final AccountStore store;
    private final String defaultDomain;

    public Authenticator(AccountStore store, String defaultDomain) {
        this.store = store;
        this.defaultDomain = defaultDomain;
    }

    public AccountStore store() { return store; }

    /**
     * @param service  {@code smtp}, {@code pop3}, {@code imap} ... for the log line
     * @param login    what the client gave: an address, or a bare user name in the default domain
     * @param password wiped before this returns
     */
    public Optional<Account> authenticate(String service, InetAddress client, String login, char[] password) {
        throw new UnsupportedOperationException("TODO(#3) being written");
    }
}
