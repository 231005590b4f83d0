package org.mailroom.daemon.http;

import java.util.List;

/**
 * What autoconfig and autodiscover describe, taken from the live configuration at each request.
 *
 * @param host      the host name clients are told to connect to ({@code autoconfig.hostname},
 *                  else {@code hostname}); it must be a name the TLS certificate covers
 * @param domains   the local domains ({@code domains}); only addresses there are answered
 * @param endpoints the listeners bound now ({@link MailEndpoint#of})
 */
public record MailSite(String host, List<String> domains, List<MailEndpoint> endpoints) {
    public MailSite {
        domains = List.copyOf(domains);
        endpoints = List.copyOf(endpoints);
    }

    /** The domain of {@code address} (after its last {@code @}, lower-cased) if it is local, else null. */
    String localDomainOf(String address) {
        if (address == null) return null;
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) return null;
        String d = address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        return domains.contains(d) ? d : null;
    }
}
