package org.mailroom.delivery.remote;

/** Whether and how the client uses STARTTLS (RFC 3207). */
public enum TlsPolicy {
    /** Never, even when offered. */
    NONE,
    /** When offered, without checking the certificate (opportunistic, RFC 7435). */
    MAY,
    /** Must be offered and succeed; the certificate is not checked. Otherwise a temporary failure. */
    REQUIRE,
    /** Must succeed with a certificate chain the trust manager accepts for the host name (RFC 6125). */
    VERIFY
}
