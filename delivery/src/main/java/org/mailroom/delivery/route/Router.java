package org.mailroom.delivery.route;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailroom.core.account.AccountStore;

/**
 * Classifies recipients by domain and account. Domains compare case-insensitively; the local part
 * is matched lower-cased, as the account store keeps it. Blocking (account look-up).
 */
public final class Router {
    private final Set<String> localDomains;
    private final AccountStore accounts;

    public Router(List<String> localDomains, AccountStore accounts) {
        this.localDomains = Set.copyOf(localDomains);
        this.accounts = accounts;
    }

    public boolean isLocalDomain(String domain) {
        return localDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /** @param address a mailbox {@code local@domain} as parsed from RCPT TO */
    public Route route(String address) throws IOException {
        int at = address.lastIndexOf('@');
        if (at <= 0) return new Route.UnknownLocal(address);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!isLocalDomain(domain)) return new Route.Remote(address, domain);
        String local = address.substring(0, at).toLowerCase(Locale.ROOT);
        if (accounts.find(local + "@" + domain).isPresent()) return new Route.Local(local + "@" + domain);
        int plus = local.indexOf('+');
        if (plus > 0) {
            String base = local.substring(0, plus) + "@" + domain;
            if (accounts.find(base).isPresent()) return new Route.Local(base);
        }
        return new Route.UnknownLocal(address);
    }
}
