/**
 * The IMAP server (RFC 9051, RFC 3501): per connection one {@link org.mailroom.imap.server.ImapSession}
 * with the explicit states of RFC 9051 3 ({@link org.mailroom.imap.server.ImapState}), the command
 * table with Dovecot's semantic flags ({@link org.mailroom.imap.server.ImapCommand}), command
 * assembly with literals and the framing limits ({@code CommandAssembly}), and handlers by command
 * family behind one contract ({@link org.mailroom.imap.server.ImapHandler},
 * {@link org.mailroom.imap.server.ImapContext}, {@link org.mailroom.imap.server.Completion}; failures
 * are {@link org.mailroom.imap.server.ImapNo}, {@link org.mailroom.imap.server.ImapBad},
 * {@link org.mailroom.imap.server.ImapBye}). The selected mailbox is an interface,
 * {@link org.mailroom.imap.server.SelectedMailbox}, implemented over the store.
 *
 * <p>Written here: the pipeline and listeners ({@link org.mailroom.imap.server.ImapInitializer}),
 * CAPABILITY, NOOP, CHECK, LOGOUT, ID (RFC 2971), NAMESPACE (RFC 2342), ENABLE (RFC 5161),
 * STARTTLS, LOGIN, AUTHENTICATE with SASL-IR (RFC 4959) over the shared SASL layer, COMPRESS=DEFLATE
 * (RFC 4978), IDLE (RFC 2177), UNSELECT (RFC 3691) and CLOSE; LITERAL+ (RFC 7888) and APPENDLIMIT
 * (RFC 7889) in the framing. Every other command is answered by the one placeholder
 * {@code ImapHandlers.NOT_IMPLEMENTED} ({@code NO [CANNOT]}) until its handler is registered in
 * {@code ImapHandlers.standard}.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Event loops never block: the store, password checks and SASL steps go through
 *       {@link org.mailroom.imap.server.ImapContext#blocking}; one command runs at a time and input
 *       waits in the {@link org.mailroom.core.net.InboundGate} meanwhile (RFC 9051 5.5 allows
 *       serial execution).</li>
 *   <li>No EXPUNGE is sent while a command that uses sequence numbers runs (RFC 9051 7.5.1); pending
 *       updates go out only before a tagged OK/NO and during IDLE.</li>
 *   <li>Before login a connection holds at most 8 KiB of literal; large responses are streamed in
 *       batches with backpressure ({@link org.mailroom.imap.server.ResponseBatches}); an idle
 *       connection keeps no buffers (target below 20 KiB per idle connection).</li>
 *   <li>IDLE wake-ups never make the store's writer wait for sessions: its callback only queues the
 *       session on its event loop ({@link org.mailroom.imap.server.IdleWakeups}, one task per loop
 *       for all the sessions a change wakes), and a wake-up that arrives after IDLE ended writes
 *       nothing (the update waits for the next tagged response). 1,000 sessions idling on one
 *       INBOX: the last is told 11-26 ms after the delivery returned, with a 20,000-message
 *       INBOX too ({@code IdleWakeBench}).</li>
 *   <li>Nothing received before a STARTTLS handshake or a COMPRESS is executed after it.</li>
 *   <li>Passwords never reach a log; failed logins count in the daemon-wide
 *       {@link org.mailroom.core.account.AuthThrottle}.</li>
 * </ul>
 *
 * <p>Not done: PREAUTH, LOGIN-REFERRALS, SASL mechanisms other than SCRAM-SHA-256 and PLAIN,
 * LITERAL- (we offer LITERAL+), concurrent execution of pipelined commands.
 */
package org.mailroom.imap.server;
