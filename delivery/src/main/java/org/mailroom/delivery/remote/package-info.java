/**
 * Remote delivery (RFC 5321 5, 4): finding the hosts for a domain ({@link
 * org.mailroom.delivery.remote.MxResolver}, RFC 5321 5.1, RFC 7505), talking SMTP to one of them
 * ({@link org.mailroom.delivery.remote.SmtpClient} and {@link
 * org.mailroom.delivery.remote.SmtpConnection}: RFC 5321, 2920 pipelining, 3207 STARTTLS, 8314 3.3
 * implicit TLS (a smarthost on 465), 4954 AUTH with 4616 PLAIN or LOGIN, 1870 SIZE, 6152 8BITMIME,
 * 6531 SMTPUTF8) and trying the hosts in order ({@link
 * org.mailroom.delivery.remote.RemoteDelivery}).
 *
 * <p>Invariants:
 * <ul>
 * <li>Nothing here blocks an event loop. {@code MxResolver}, {@code SmtpConnection} and {@code
 * RemoteDelivery} are blocking APIs and run on the daemon's blocking executor; the Netty channel
 * only frames replies and hands them over.
 * <li>Every recipient of an attempt ends with exactly one {@link
 * org.mailroom.delivery.remote.RecipientResult}; a lost connection turns each recipient without a
 * final answer into a temporary failure (RFC 5321 4.5.3.2: never assume success without one).
 * <li>The client never holds a whole message: it reads {@code MessageContent.open()} in chunks
 * (from the queue's copy in memory for a small message, else from the queue file), converted to
 * CRLF and dot-stuffed (RFC 5321 4.5.2) while written, with the channel's writability as
 * backpressure; a message of one chunk goes out with its final "." in one write.
 * <li>With PIPELINING (RFC 2920 3.1) MAIL, every RCPT and DATA are one write, and the replies are
 * matched to the commands in order; without it every command waits for its reply.
 * <li>Credentials never travel in clear unless {@code ConnectOptions.plaintextAuth} says so (the
 * daemon never does), and never appear in a log line or a failure text: AUTH lines are logged as
 * {@code ****}. An AUTH refusal is a host failure like any other, so the message stays queued.
 * <li>No downgrade: 8-bit or UTF-8 mail to a server without 8BITMIME/SMTPUTF8 fails permanently
 * (5.6.3, 5.6.7) instead of being converted.
 * </ul>
 *
 * <p>Deliberately not here (yet): DANE/MTA-STS, BDAT/CHUNKING (it would make a small message one
 * write and one reply; the benchmark's smtp-sink does not offer it), retrying a failed
 * opportunistic TLS handshake in plain text, LMTP. The connection cache is in {@link
 * org.mailroom.delivery.remote.RemoteDelivery}.
 */
package org.mailroom.delivery.remote;
