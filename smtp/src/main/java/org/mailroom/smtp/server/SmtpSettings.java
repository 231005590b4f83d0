package org.mailroom.smtp.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.mailroom.config.Config;
import org.mailroom.config.Keys;

/**
 * What one SMTP listener needs to know, fixed when it is bound.
 *
 * @param hostname       the name in the greeting, EHLO reply and 421 lines
 * @param listenerName   the service name ({@code smtp}, {@code submission}) given to the sink
 * @param maxMessageSize {@code smtp.maxMessageSize}: octets, advertised as SIZE (RFC 1870)
 * @param maxRecipients  {@code smtp.maxRecipients} per transaction (RFC 5321 4.5.3.1.8)
 * @param maxLineLength  {@code smtp.maxLineLength}: command line octets, CRLF included
 * @param maxErrors      {@code smtp.maxErrors}: error replies before 421 and close
 * @param idleTimeout    {@code smtp.idleTimeout}: wait for the next input (RFC 5321 4.5.3.2.7)
 * @param spoolDir       where message content above {@code spillThreshold} is spilled while it arrives
 * @param spillThreshold octets of one message kept in memory before it is spilled to {@code spoolDir}
 * @param authEnabled    AUTH (RFC 4954) is offered: on for submission and submissions, off for the
 *                       MTA listener (mail from other servers does not log in)
 * @param authRequired   MAIL before a successful AUTH gets 530 5.7.0 (RFC 4954 6, RFC 6409 4.3)
 * @param allowPlaintextAuthOnLoopback PLAIN and LOGIN are accepted without TLS from loopback
 *                       clients ({@code auth.plaintextOnLoopback}); elsewhere they need TLS
 * @param maxMessagesPerSession {@code smtp.maxMessagesPerSession}: MAIL commands accepted in one
 *                       session; the next gets 452 4.3.0 (Postfix-like: the client goes on in a new
 *                       session, nothing is closed)
 */
public record SmtpSettings(String hostname, String listenerName, long maxMessageSize, int maxRecipients,
                           int maxLineLength, int maxErrors, Duration idleTimeout, Path spoolDir,
                           int spillThreshold, boolean authEnabled, boolean authRequired,
                           boolean allowPlaintextAuthOnLoopback, int maxMessagesPerSession) {

    /** Content held in memory per message before spilling: small messages never touch the disk. */
    public static final int DEFAULT_SPILL_THRESHOLD = 256 * 1024;
    /** {@code smtp.maxMessagesPerSession} when not given. */
    public static final int DEFAULT_MAX_MESSAGES_PER_SESSION = 100;

    public SmtpSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(spoolDir, "spoolDir");
        if (maxMessageSize < 1 || maxRecipients < 1 || maxLineLength < 8 || maxErrors < 1 || spillThreshold < 1 || maxMessagesPerSession < 1
                || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("bad SMTP settings: " + maxMessageSize + "/" + maxRecipients + "/"
                    + maxLineLength + "/" + maxErrors + "/" + idleTimeout + "/" + spillThreshold);
        }
    }

    public SmtpSettings(String hostname, String listenerName, long maxMessageSize, int maxRecipients,
                        int maxLineLength, int maxErrors, Duration idleTimeout, Path spoolDir,
                        int spillThreshold, boolean authEnabled, boolean authRequired,
                        boolean allowPlaintextAuthOnLoopback) {
        this(hostname, listenerName, maxMessageSize, maxRecipients, maxLineLength, maxErrors, idleTimeout,
                spoolDir, spillThreshold, authEnabled, authRequired, allowPlaintextAuthOnLoopback,
                DEFAULT_MAX_MESSAGES_PER_SESSION);
    }

    /** Without AUTH (the MTA listener). */
    public SmtpSettings(String hostname, String listenerName, long maxMessageSize, int maxRecipients,
                        int maxLineLength, int maxErrors, Duration idleTimeout, Path spoolDir,
                        int spillThreshold) {
        this(hostname, listenerName, maxMessageSize, maxRecipients, maxLineLength, maxErrors, idleTimeout,
                spoolDir, spillThreshold, false, false, false);
    }

    public SmtpSettings(String hostname, String listenerName, long maxMessageSize, int maxRecipients,
                        int maxLineLength, int maxErrors, Duration idleTimeout, Path spoolDir) {
        this(hostname, listenerName, maxMessageSize, maxRecipients, maxLineLength, maxErrors, idleTimeout,
                spoolDir, DEFAULT_SPILL_THRESHOLD);
    }

    /** These settings with AUTH switched on or off. */
    public SmtpSettings withAuth(boolean enabled, boolean required, boolean plaintextOnLoopback) {
        return new SmtpSettings(hostname, listenerName, maxMessageSize, maxRecipients, maxLineLength, maxErrors,
                idleTimeout, spoolDir, spillThreshold, enabled, required, plaintextOnLoopback, maxMessagesPerSession);
    }

    /** These settings with another {@code smtp.maxMessagesPerSession}. */
    public SmtpSettings withMaxMessagesPerSession(int max) {
        return new SmtpSettings(hostname, listenerName, maxMessageSize, maxRecipients, maxLineLength, maxErrors,
                idleTimeout, spoolDir, spillThreshold, authEnabled, authRequired, allowPlaintextAuthOnLoopback, max);
    }

    /** The {@code smtp.*} keys of {@code config}, without AUTH; the host name is resolved by the caller. */
    public static SmtpSettings from(Config config, String listenerName, String hostname, Path spoolDir) {
        return new SmtpSettings(hostname, listenerName,
                config.get(Keys.SMTP_MAX_MESSAGE_SIZE), config.get(Keys.SMTP_MAX_RECIPIENTS),
                config.get(Keys.SMTP_MAX_LINE_LENGTH), config.get(Keys.SMTP_MAX_ERRORS),
                config.get(Keys.SMTP_IDLE_TIMEOUT), spoolDir)
                .withMaxMessagesPerSession(config.get(Keys.SMTP_MAX_MESSAGES_PER_SESSION));
    }
}
