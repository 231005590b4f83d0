package org.mailroom.delivery.remote;

import javax.net.ssl.X509TrustManager;

/**
 * Per-destination session settings.
 *
 * @param tls            the STARTTLS policy; with {@code implicitTls} only its certificate rule
 *                       counts ({@link TlsPolicy#VERIFY} checks, anything else accepts any chain)
 * @param trustManager   for {@link TlsPolicy#VERIFY}; null = the JDK's default trust store
 * @param credentials    AUTH (RFC 4954) credentials for a smarthost, or null for none
 * @param plaintextAuth  allow AUTH without TLS (otherwise a temporary failure instead of sending
 *                       the password in clear)
 * @param implicitTls    TLS from the first byte, before the greeting (RFC 8314 3.3, port 465);
 *                       a property of the port, not a policy, hence not a {@link TlsPolicy} value
 */
public record ConnectOptions(TlsPolicy tls, X509TrustManager trustManager, Credentials credentials,
        boolean plaintextAuth, boolean implicitTls) {

    /** Opportunistic TLS, no AUTH: what MX delivery uses. */
    public static final ConnectOptions DEFAULT = new ConnectOptions(TlsPolicy.MAY, null, null, false);

    /** STARTTLS as {@code tls} says (no implicit TLS). */
    public ConnectOptions(TlsPolicy tls, X509TrustManager trustManager, Credentials credentials, boolean plaintextAuth) {
        this(tls, trustManager, credentials, plaintextAuth, false);
    }

    public static ConnectOptions tls(TlsPolicy tls) {
        return new ConnectOptions(tls, null, null, false);
    }

    public ConnectOptions withImplicitTls(boolean implicit) {
        return new ConnectOptions(tls, trustManager, credentials, plaintextAuth, implicit);
    }

    /** AUTH PLAIN / LOGIN user name and password. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() { return "Credentials[" + user + "]"; }
    }
}
