package org.mailroom.delivery.remote;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Finds the hosts that receive mail for a domain (RFC 5321 5.1) with dnsjava.
 *
 * <ul>
 * <li>MX records sorted by preference, ties in random order (RFC 5321 5.1: "randomized to spread
 * the load").
 * <li>No MX records (NODATA) → the domain itself as implicit MX with preference 0 (RFC 5321 5.1).
 * <li>A single MX with target "." → null MX (RFC 7505 3), a permanent failure 5.1.10.
 * <li>NXDOMAIN → permanent 5.1.2; SERVFAIL, timeouts, network errors → temporary (RFC 5321 5.1:
 * "a temporary error ... the mail is queued").
 * <li>Each host's AAAA then A records; the addresses of a host are tried IPv6 first. MX hosts
 * whose names do not resolve are skipped; if none is left the result is temporary when any lookup
 * failed temporarily, otherwise permanent 5.4.4.
 * <li>A CNAME at the domain is followed by dnsjava's {@link Lookup}.
 * </ul>
 *
 * <p>Both methods block for up to a few timeouts and must run on the blocking executor, never on
 * an event loop. Lookups use a fresh cache per call: the daemon's queue retries are minutes apart,
 * and a stale negative answer is worse than a repeated query.
 */
public final class MxResolver {
    private final Resolver resolver;

    /**
     * @param servers DNS servers to ask; empty = the system's ({@code /etc/resolv.conf})
     * @param timeout per query, across retries
     */
    public MxResolver(List<InetSocketAddress> servers, Duration timeout) {
        Resolver r;
        if (servers.isEmpty()) {
            r = new ExtendedResolver();
        } else if (servers.size() == 1) {
            r = new SimpleResolver(servers.get(0));
        } else {
            List<Resolver> rs = new ArrayList<>();
            for (InetSocketAddress s : servers) rs.add(new SimpleResolver(s));
            r = new ExtendedResolver(rs);
        }
        r.setTimeout(timeout);
        this.resolver = r;
    }

    /** Resolves the MX hosts of {@code domain} (blocking). */
    public Resolution resolve(String domain) {
        Name name;
        try {
            name = absolute(domain);
        } catch (TextParseException e) {
            return new Resolution.PermanentFailure("bad domain name " + domain, Statuses.X_5_1_2);
        }
        Lookup mx = lookup(name, Type.MX);
        mx.run();
        switch (mx.getResult()) {
            case Lookup.HOST_NOT_FOUND:
                return new Resolution.PermanentFailure("Host or domain name not found: " + domain + " (NXDOMAIN)",
                        Statuses.X_5_1_2);
            case Lookup.TRY_AGAIN:
                return new Resolution.TemporaryFailure("MX lookup for " + domain + " failed: " + mx.getErrorString());
            case Lookup.UNRECOVERABLE:
                return new Resolution.TemporaryFailure("MX lookup for " + domain + " failed: " + mx.getErrorString());
            case Lookup.TYPE_NOT_FOUND:
                return implicitMx(domain, name);
            default:
                break;
        }
        List<MXRecord> records = new ArrayList<>();
        for (Record r : mx.getAnswers()) if (r instanceof MXRecord m) records.add(m);
        if (records.isEmpty()) return implicitMx(domain, name);
        // RFC 7505 3: a single MX with preference 0 and target "." means "no mail"
        if (records.size() == 1 && records.get(0).getTarget().equals(Name.root)) {
            return new Resolution.PermanentFailure("Domain " + domain + " does not accept mail (null MX)",
                    Statuses.X_5_1_10);
        }
        Collections.shuffle(records, ThreadLocalRandom.current());
        // stable sort after the shuffle: preference order, random among equals (RFC 5321 5.1)
        records.sort((a, b) -> Integer.compare(a.getPriority(), b.getPriority()));
        List<MxHost> hosts = new ArrayList<>();
        String lastTemporary = null;
        for (MXRecord m : records) {
            if (m.getTarget().equals(Name.root)) continue; // RFC 7505 4.3: "." among others is ignored
            Addresses a = addresses(m.getTarget());
            if (!a.list.isEmpty()) hosts.add(new MxHost(text(m.getTarget()), m.getPriority(), a.list));
            else if (a.temporary != null) lastTemporary = a.temporary;
        }
        if (!hosts.isEmpty()) return new Resolution.Hosts(hosts);
        if (lastTemporary != null) return new Resolution.TemporaryFailure(lastTemporary);
        return new Resolution.PermanentFailure("No address for any MX host of " + domain, Statuses.X_5_4_4);
    }

    /**
     * Resolves a host given literally (a smarthost or a transport entry {@code [host]}): AAAA and A
     * only, no MX (RFC 5321 5.1 does not apply to address-literal style destinations). An IP address
     * is returned as it is. Blocking.
     */
    public Resolution resolveHost(String host) {
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.regionMatches(true, 0, "IPv6:", 0, 5)) host = host.substring(5);
        if (looksLikeIp(host)) {
            try {
                return new Resolution.Hosts(List.of(new MxHost(host, 0, List.of(InetAddress.getByName(host)))));
            } catch (java.net.UnknownHostException e) {
                return new Resolution.PermanentFailure("bad address " + host, Statuses.X_5_1_2);
            }
        }
        Name name;
        try {
            name = absolute(host);
        } catch (TextParseException e) {
            return new Resolution.PermanentFailure("bad host name " + host, Statuses.X_5_1_2);
        }
        Addresses a = addresses(name);
        if (!a.list.isEmpty()) return new Resolution.Hosts(List.of(new MxHost(text(name), 0, a.list)));
        if (a.temporary != null) return new Resolution.TemporaryFailure(a.temporary);
        if (a.nxdomain) {
            return new Resolution.PermanentFailure("Host not found: " + host + " (NXDOMAIN)", Statuses.X_5_1_2);
        }
        return new Resolution.PermanentFailure("No address for " + host, Statuses.X_5_4_4);
    }

    private Resolution implicitMx(String domain, Name name) {
        // RFC 5321 5.1: no MX → the domain is its own mail exchanger with preference 0
        Addresses a = addresses(name);
        if (!a.list.isEmpty()) return new Resolution.Hosts(List.of(new MxHost(text(name), 0, a.list)));
        if (a.temporary != null) return new Resolution.TemporaryFailure(a.temporary);
        return new Resolution.PermanentFailure("No MX and no address for " + domain, Statuses.X_5_4_4);
    }

    /** AAAA first, then A (RFC 5321 5.1 leaves the family order to the client; IPv6 preferred). */
    private Addresses addresses(Name name) {
        Addresses out = new Addresses();
        int notFound = 0;
        for (int type : new int[] {Type.AAAA, Type.A}) {
            Lookup l = lookup(name, type);
            l.run();
            switch (l.getResult()) {
                case Lookup.SUCCESSFUL -> {
                    for (Record r : l.getAnswers()) {
                        if (r instanceof AAAARecord aaaa) out.list.add(aaaa.getAddress());
                        else if (r instanceof ARecord a) out.list.add(a.getAddress());
                    }
                }
                case Lookup.HOST_NOT_FOUND -> notFound++;
                case Lookup.TYPE_NOT_FOUND -> { }
                default -> out.temporary = Type.string(type) + " lookup for " + text(name) + " failed: "
                        + l.getErrorString();
            }
        }
        out.nxdomain = notFound == 2;
        return out;
    }

    private Lookup lookup(Name name, int type) {
        Lookup l = new Lookup(name, type);
        l.setResolver(resolver);
        l.setCache(null); // a private cache for this lookup only
        return l;
    }

    private static Name absolute(String domain) throws TextParseException {
        String d = domain.endsWith(".") ? domain : domain + ".";
        return Name.fromString(d.toLowerCase(Locale.ROOT));
    }

    private static String text(Name n) {
        return n.toString(true);
    }

    private static boolean looksLikeIp(String s) {
        return s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static final class Addresses {
        final List<InetAddress> list = new ArrayList<>();
        String temporary;
        boolean nxdomain;
    }
}
