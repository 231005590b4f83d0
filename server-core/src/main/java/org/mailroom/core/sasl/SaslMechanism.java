package org.mailroom.core.sasl;

import java.net.InetAddress;
import org.mailroom.core.account.Authenticator;

/**
 * One SASL mechanism (RFC 4422) on the server side. A protocol session looks the mechanism up by
 * the name the client gave ({@link SaslMechanisms#find}), asks {@link #plaintext} whether the
 * connection is protected enough for it, and starts one {@link SaslServer} per exchange.
 */
public interface SaslMechanism {

    /** The registered name, upper case: {@code PLAIN}, {@code LOGIN}, {@code SCRAM-SHA-256}. */
    String name();

    /**
     * True when the password itself crosses the connection (PLAIN, LOGIN): such mechanisms are
     * offered only under TLS (RFC 4954 4, RFC 8314 3) or where the postmaster allowed it.
     */
    boolean plaintext();

    /**
     * A new exchange.
     *
     * @param authenticator checks passwords and writes the one log line per login
     * @param service       {@code submission}, {@code pop3} ... for the log line
     * @param client        the peer's address, for the log line (null: unknown)
     */
    SaslServer start(Authenticator authenticator, String service, InetAddress client);
}
