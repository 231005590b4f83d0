/**
 * POP3 access (RFC 1939) with CAPA and response codes (RFC 2449, RFC 3206), STLS (RFC 2595 4) and
 * AUTH PLAIN (RFC 5034, RFC 4616), in the shape of Dovecot's {@code pop3/}: one session per
 * connection with an explicit {@link org.mailroom.pop3.Pop3State}, one command table
 * ({@link org.mailroom.pop3.Pop3Command}) checked once by the dispatcher, a parser that turns a line
 * into a {@link org.mailroom.pop3.Pop3Request} record, handlers per command family, and
 * {@link org.mailroom.pop3.Pop3Error} carrying the {@code -ERR} reply.
 *
 * <p>Invariants:
 * <ul>
 *   <li>The store and the authenticator are called only through the
 *       {@link org.mailroom.core.exec.BlockingExecutor}; while such work runs the input is paused,
 *       so pipelined commands (RFC 2449 6.6) run strictly in order.</li>
 *   <li>Message numbers exist only in the per-session {@link org.mailroom.pop3.Maildrop}; the store
 *       knows UIDs. Unique-ids (RFC 1939 7 UIDL) are derived from UIDVALIDITY and UID, so they are
 *       stable across sessions and restarts.</li>
 *   <li>Deletions are marks until QUIT; only the UPDATE state expunges (RFC 1939 6). A connection
 *       that drops, times out or is shut down deletes nothing.</li>
 *   <li>One POP3 session per account at a time ({@link org.mailroom.pop3.MaildropLocks}, RFC 1939 8
 *       "exclusive-access lock", answered with {@code [IN-USE]}, RFC 2449 8.1.1).</li>
 *   <li>After STLS nothing the client sent before the handshake is executed (RFC 2595 4, DESIGN.md 4).</li>
 *   <li>Passwords and message bodies never reach a log.</li>
 * </ul>
 *
 * <p>Failed logins (USER/PASS and AUTH) are counted by the daemon-wide
 * {@link org.mailroom.core.account.AuthThrottle}: the {@code -ERR [AUTH]} waits on the event loop's
 * timer as it asks, and a locked-out address gets {@code -ERR [SYS/TEMP]} without a password check.
 * TODO(#submission) AUTH through the shared {@link org.mailroom.core.sasl.SaslMechanism}s (LOGIN,
 * SCRAM-SHA-256); for now PLAIN only.
 *
 * <p>Not done, on purpose: APOP (MD5 shared secrets), the optional {@code LOGIN-DELAY} and
 * {@code EXPIRE} capabilities, SASL mechanisms other than PLAIN, and the RFC 6856 UTF8/LANG
 * extensions.
 */
package org.mailroom.pop3;
