package org.mailroom.delivery.remote;

import javax.net.ssl.X509TrustManager;

/**
 * Per-destination session settings.
 *
 * @param tls            the STARTTLS policy
 * @param trustManager   for {@link TlsPolicy#VERIFY}; null = the JDK's default trust store
 * @param credentials    AUTH (RFC 4954) credentials for a smarthost, or null for none
 * @param plaintextAuth  allow AUTH without TLS (otherwise a temporary failure instead of sending
 *                       the password in clear)
 */
public record ConnectOptions(TlsPolicy tls, X509TrustManager trustManager, Credentials credentials,
        boolean plaintextAuth) {

    /** Opportunistic TLS, no AUTH: what MX delivery uses. */
    public static final ConnectOptions DEFAULT = new ConnectOptions(TlsPolicy.MAY, null, null, false);

    public static ConnectOptions tls(TlsPolicy tls) {
        return new ConnectOptions(tls, null, null, false);
    }

    /** AUTH PLAIN / LOGIN user name and password. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() { return "Credentials[" + user + "]"; }
    }
}
