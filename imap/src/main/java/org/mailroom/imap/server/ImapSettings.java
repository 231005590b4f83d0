package org.mailroom.imap.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.mailroom.config.Config;
import org.mailroom.config.Keys;

/**
 * What one IMAP listener is configured with.
 *
 * @param hostname                 the server's name, in the greeting
 * @param listenerName             {@code imap} or {@code imaps}, for log lines
 * @param idleTimeout              autologout after this long without input (RFC 9051 5.4: at least
 *                                 30 minutes; IDLE gets the same, RFC 2177 / RFC 9051 6.3.13)
 * @param maxLineLength            longest command line in octets, CRLF included
 * @param appendLimit              largest literal after login (the message of APPEND), advertised
 *                                 as {@code APPENDLIMIT} (RFC 7889)
 * @param maxConnectionsPerUser    open logged-in connections per account; more get {@code NO [LIMIT]}
 * @param allowPlaintextOnLoopback LOGIN and AUTHENTICATE without TLS from loopback clients
 * @param preAuthLiteralLimit      largest literal, and longest line, before login: a stranger gets
 *                                 no large buffers
 * @param maxLiterals              literals in one command
 * @param maxCommandSize           octets of one command without APPEND's message (lines and the
 *                                 other literals)
 * @param spoolDir                 where an APPEND message larger than {@code spillThreshold} is
 *                                 written while it arrives (as SMTP does with DATA); null: kept in
 *                                 memory (tests)
 * @param spillThreshold           octets of an APPEND message kept in memory before it goes to
 *                                 {@code spoolDir}
 */
public record ImapSettings(String hostname, String listenerName, Duration idleTimeout, int maxLineLength,
                           long appendLimit, int maxConnectionsPerUser, boolean allowPlaintextOnLoopback,
                           int preAuthLiteralLimit, int maxLiterals, long maxCommandSize, Path spoolDir,
                           int spillThreshold) {

    /** Literals before login: enough for any LOGIN or AUTHENTICATE, small enough for 10,000 strangers. */
    public static final int PRE_AUTH_LITERAL_LIMIT = 8 * 1024;
    public static final int MAX_LITERALS = 100;
    public static final long MAX_COMMAND_SIZE = 1024 * 1024;
    /** As SMTP's: a few hundred sessions appending at once stay within a few hundred MiB. */
    public static final int DEFAULT_SPILL_THRESHOLD = 256 * 1024;

    public ImapSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(listenerName, "listenerName");
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        if (maxLineLength < 1024) throw new IllegalArgumentException("maxLineLength < 1024");
        if (appendLimit < 1 || maxConnectionsPerUser < 1 || preAuthLiteralLimit < 1 || maxLiterals < 1
                || maxCommandSize < maxLineLength || spillThreshold < 1) {
            throw new IllegalArgumentException("bad IMAP limits");
        }
    }

    /** The common form: the fixed limits at their defaults. */
    public ImapSettings(String hostname, String listenerName, Duration idleTimeout, int maxLineLength,
                        long appendLimit, int maxConnectionsPerUser, boolean allowPlaintextOnLoopback) {
        this(hostname, listenerName, idleTimeout, maxLineLength, appendLimit, maxConnectionsPerUser,
                allowPlaintextOnLoopback, PRE_AUTH_LITERAL_LIMIT, MAX_LITERALS, Math.max(MAX_COMMAND_SIZE, maxLineLength),
                null, DEFAULT_SPILL_THRESHOLD);
    }

    /** These settings with APPEND messages over {@code threshold} octets written to {@code dir}. */
    public ImapSettings withSpool(Path dir, int threshold) {
        return new ImapSettings(hostname, listenerName, idleTimeout, maxLineLength, appendLimit, maxConnectionsPerUser,
                allowPlaintextOnLoopback, preAuthLiteralLimit, maxLiterals, maxCommandSize, dir, threshold);
    }

    /** The listener {@code name} ({@code imap} or {@code imaps}) as configured; APPEND messages spill to {@code spoolDir}. */
    public static ImapSettings from(Config config, String name, String hostname, Path spoolDir) {
        return new ImapSettings(hostname, name, config.get(Keys.IMAP_IDLE_TIMEOUT), config.get(Keys.IMAP_MAX_LINE_LENGTH),
                config.get(Keys.IMAP_APPEND_LIMIT), config.get(Keys.IMAP_MAX_CONNECTIONS_PER_USER),
                config.get(Keys.AUTH_PLAINTEXT_ON_LOOPBACK)).withSpool(spoolDir, DEFAULT_SPILL_THRESHOLD);
    }
}
