package org.mailroom.delivery.route;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import org.mailroom.core.account.AccountStore;

/**
 * Where a recipient goes. For a local domain: aliases first (the full address, then the local
 * part; with plus addressing {@code user+tag} also {@code user}), expanded recursively once per
 * name (a name met again in its own expansion is delivered to its mailbox instead of looping, as
 * Postfix's local(8) does), then accounts ({@code user+tag@domain} reaches {@code user}). Other
 * domains are remote. Domains compare case-insensitively; local parts are lower-cased, as the
 * account store keeps them. In the host's own domains, the host's Unix accounts come last
 * ({@link SystemUsers}, issue 8). Blocking (account look-ups).
 */
public final class Router {
    /** Alias nesting beyond this is refused (Postfix's default limit is 1000 recipients; nesting is what loops). */
    static final int MAX_DEPTH = 20;
    /** Expansion of one address is cut here so that one alias cannot fan out without bound. */
    static final int MAX_TARGETS = 1000;

    private final Set<String> localDomains;
    private final AccountStore accounts;
    private final Supplier<Aliases> aliases;
    private final Set<String> systemDomains;
    private final String systemDomain;
    private final SystemUsers systemUsers;

    public Router(List<String> localDomains, AccountStore accounts) {
        this(localDomains, accounts, Aliases::empty);
    }

    /** @param aliases the current aliases (a supplier, so that a reload is seen) */
    public Router(List<String> localDomains, AccountStore accounts, Supplier<Aliases> aliases) {
        this(localDomains, accounts, aliases, Set.of(), null, SystemUsers.NONE);
    }

    /**
     * With the host's Unix accounts as a local domain (issue 8): in {@code systemDomains} (the
     * host name and {@code localhost}, all of them also local domains) a local part that is
     * neither an alias nor a virtual account but one of {@code users} is delivered to the account
     * {@code <local part>@<systemDomain>}, whichever of the names was used.
     */
    public Router(List<String> localDomains, AccountStore accounts, Supplier<Aliases> aliases,
                  Set<String> systemDomains, String systemDomain, SystemUsers users) {
        this.localDomains = Set.copyOf(localDomains);
        this.accounts = accounts;
        this.aliases = aliases;
        this.systemDomains = Set.copyOf(systemDomains);
        this.systemDomain = systemDomain;
        this.systemUsers = users;
    }

    public boolean isLocalDomain(String domain) {
        return localDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    /**
     * The routes of one address without alias expansion: an account, unknown, or remote; for a
     * queued {@link Route.UserTarget#queueAddress()}, that target again while its user still
     * receives mail and {@code local.forwardPrograms} still allows it, else refused.
     */
    public Route route(String address) throws IOException {
        String[] userTarget = Route.UserTarget.parseQueueAddress(address);
        if (userTarget != null) {
            if (systemDomain == null || !systemUsers.receivesMail(userTarget[0])) return new Route.UnknownLocal(address);
            if (!systemUsers.forwardPrograms()) {
                return new Route.Refused(userTarget[1], "delivery to a " + (userTarget[1].startsWith("|") ? "command" : "file")
                        + " from ~" + userTarget[0] + "/.forward is not allowed");
            }
            return new Route.UserTarget(userTarget[0] + "@" + systemDomain, userTarget[1]);
        }
        int at = address.lastIndexOf('@');
        if (at <= 0) return new Route.UnknownLocal(address);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!isLocalDomain(domain)) return new Route.Remote(address, domain);
        return account(address.substring(0, at).toLowerCase(Locale.ROOT), domain, address);
    }

    /**
     * Every final destination of {@code address}, aliases expanded, duplicates removed, in the
     * order met. Never empty.
     */
    public List<Route> expand(String address) throws IOException {
        LinkedHashSet<Route> out = new LinkedHashSet<>();
        expand(address, 0, new HashSet<>(), out, aliases.get());
        return List.copyOf(out);
    }

    private void expand(String address, int depth, Set<String> seen, Set<Route> out, Aliases a) throws IOException {
        if (Route.UserTarget.parseQueueAddress(address) != null) {
            // the queue's form of another user's .forward command: from a .forward, an alias or a
            // recipient it would run as that user once queued (as a remote address, say)
            out.add(new Route.Refused(address, "not a valid address"));
            return;
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            out.add(new Route.UnknownLocal(address));
            return;
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!isLocalDomain(domain)) {
            out.add(new Route.Remote(address, domain));
            return;
        }
        String local = address.substring(0, at).toLowerCase(Locale.ROOT);
        String key = local + "@" + domain;
        List<String> targets = a.lookup(local, domain);
        int plus = local.indexOf('+');
        if (targets == null && plus > 0) targets = a.lookup(local.substring(0, plus), domain);
        String source = "alias target ";
        if (targets == null && !seen.contains(key)) {
            // issue 8: a Unix user's ~/.forward, after the aliases, with the same loop rule
            Route r = account(local, domain, address);
            String user = r instanceof Route.Local l && systemDomains.contains(domain)
                    && l.account().endsWith("@" + systemDomain) ? l.account().substring(0, l.account().lastIndexOf('@')) : null;
            targets = user == null ? null : systemUsers.forward(user);
            if (targets == null || targets.isEmpty()) {
                out.add(r);
                return;
            }
            source = "~" + user + "/.forward: ";
            key = user + "@" + systemDomain;
            domain = systemDomain;
        }
        if (targets == null || seen.contains(key)) {
            out.add(account(local, domain, address));
            return;
        }
        if (depth >= MAX_DEPTH) {
            out.add(new Route.Refused(address, "alias nesting deeper than " + MAX_DEPTH));
            return;
        }
        seen.add(key);
        for (String t : targets) {
            if (out.size() >= MAX_TARGETS) { // one alias must not fan out without bound
                out.add(new Route.Refused(key, "alias expansion exceeds " + MAX_TARGETS + " targets"));
                break;
            }
            boolean forward = source.startsWith("~");
            boolean program = t.startsWith("|") || t.startsWith("/");
            if (program && forward && systemUsers.forwardPrograms()) {
                // issue 8, local.forwardPrograms: run or written as the .forward's owner, from the queue
                out.add(new Route.UserTarget(key, t));
            } else if (program) {
                // refused: from the aliases file there is no user to run it as; from a .forward only
                // with local.forwardPrograms
                String from = forward ? " from " + source.substring(0, source.length() - 2) : "";
                out.add(new Route.Refused(t, "delivery to a " + (t.startsWith("|") ? "command" : "file") + from
                        + " is not allowed"));
            } else if (t.regionMatches(true, 0, ":include:", 0, 9)) {
                out.add(new Route.Refused(t, ":include: is not supported"));
            } else if (t.startsWith("\\")) { // backslash-user: this mailbox, no further alias expansion
                String u = t.substring(1).toLowerCase(Locale.ROOT);
                int uat = u.lastIndexOf('@');
                out.add(uat < 0 ? account(u, domain, u + "@" + domain)
                        : account(u.substring(0, uat), u.substring(uat + 1), u));
            } else {
                expand(t.indexOf('@') < 0 ? t + "@" + domain : t, depth + 1, seen, out, a);
            }
        }
        seen.remove(key); // the same name may legitimately appear in two branches
    }

    private Route account(String local, String domain, String original) throws IOException {
        if (!isLocalDomain(domain)) return new Route.Remote(original, domain);
        if (accounts.find(local + "@" + domain).isPresent()) return new Route.Local(local + "@" + domain);
        int plus = local.indexOf('+');
        if (plus > 0) {
            String base = local.substring(0, plus) + "@" + domain;
            if (accounts.find(base).isPresent()) return new Route.Local(base);
        }
        if (systemDomains.contains(domain)) {
            if (systemUsers.receivesMail(local)) return new Route.Local(local + "@" + systemDomain);
            if (plus > 0 && systemUsers.receivesMail(local.substring(0, plus))) {
                return new Route.Local(local.substring(0, plus) + "@" + systemDomain);
            }
        }
        return new Route.UnknownLocal(original);
    }

    /** For tests and logs: the routes as text, one per line. */
    static String describe(List<Route> routes) {
        List<String> lines = new ArrayList<>();
        for (Route r : routes) {
            if (r instanceof Route.Local l) lines.add("local " + l.account());
            else if (r instanceof Route.UnknownLocal u) lines.add("unknown " + u.address());
            else if (r instanceof Route.Remote m) lines.add("remote " + m.address());
            else if (r instanceof Route.Refused f) lines.add("refused " + f.target() + " (" + f.reason() + ")");
            else if (r instanceof Route.UserTarget u) lines.add("as " + u.user() + " " + u.target());
        }
        return String.join("\n", lines);
    }
}
