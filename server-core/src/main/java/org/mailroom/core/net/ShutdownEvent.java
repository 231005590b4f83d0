package org.mailroom.core.net;

/**
 * Fired as a user event on every open connection when the daemon stops. A session that is idle
 * between transactions says goodbye and closes at once (SMTP 421 4.3.2, POP3 -ERR, IMAP BYE); one
 * that is in the middle of a transaction finishes it and closes after its reply. What is still
 * open at the end of the grace period is closed by the server.
 */
public enum ShutdownEvent {
    INSTANCE
}
