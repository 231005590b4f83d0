package org.mailroom.core.spi;

import java.net.InetSocketAddress;

/**
 * What the receiving session knew about its client, for policy and for the Received: header.
 *
 * @param listener   the service that took the message ({@code smtp}, {@code submission}, {@code sendmail})
 * @param client     the client's address, or null for local submission
 * @param helo       the EHLO/HELO argument, or null
 * @param protocol   RFC 3848 "with" keyword: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA, LMTP, local
 * @param tls        protocol and cipher when TLS was used (e.g. {@code TLSv1.3 TLS_AES_128_GCM_SHA256}), or null
 * @param authUser   the authenticated account, or null
 * @param localUser  the Unix user who submitted through {@code sendmail}, as the kernel told it
 *                   ({@code SO_PEERCRED}); null for network sessions
 */
public record SessionInfo(String listener, InetSocketAddress client, String helo, String protocol,
                          String tls, String authUser, LocalUser localUser) {

    /** A network session (or a bounce): no local user. */
    public SessionInfo(String listener, InetSocketAddress client, String helo, String protocol, String tls, String authUser) {
        this(listener, client, helo, protocol, tls, authUser, null);
    }

    /**
     * A Unix user on this host.
     *
     * @param uid  the numeric user id (-1 when the kernel's user has no passwd entry we could read)
     * @param name the user name ({@code getpwuid}), or the uid in decimal when it has none
     */
    public record LocalUser(long uid, String name) {}
}
