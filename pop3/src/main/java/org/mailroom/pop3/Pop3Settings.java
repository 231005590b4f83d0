package org.mailroom.pop3;

import java.time.Duration;
import java.util.Objects;

/**
 * What one POP3 listener is configured with.
 *
 * @param hostname                 the server's name, shown in the greeting
 * @param listenerName             {@code pop3} or {@code pop3s}, for log lines
 * @param idleTimeout              autologout timer; RFC 1939 3 asks for at least 10 minutes
 * @param allowPlaintextOnLoopback USER/PASS and AUTH PLAIN without TLS are accepted from loopback
 *                                 clients (local fetchmail, tests); from anywhere else TLS is required
 */
public record Pop3Settings(String hostname, String listenerName, Duration idleTimeout,
                           boolean allowPlaintextOnLoopback) {

    public Pop3Settings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(listenerName, "listenerName");
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }
}
