/**
 * The SMTP server: MTA (RFC 5321) and, with the same code, MSA listeners (RFC 6409).
 * {@link org.mailroom.smtp.server.SmtpInitializer} builds a connection's pipeline,
 * {@code SmtpSession} holds the state machine and dispatches through the {@code SmtpVerb} table,
 * and one handler per command family executes: {@code HelloHandler} (EHLO, HELO),
 * {@code TransactionHandler} (MAIL, RCPT, RSET), {@code DataReceiver} (DATA, BDAT), {@code StartTlsHandler}
 * (STARTTLS, RFC 3207), {@code InfoHandler} (NOOP, HELP, VRFY, EXPN, QUIT), {@code AuthHandler}
 * (AUTH, RFC 4954, over the shared SASL mechanisms of {@link org.mailroom.core.sasl}).
 *
 * <p>Extensions offered: PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152),
 * ENHANCEDSTATUSCODES (RFC 2034, RFC 3463), STARTTLS (RFC 3207) when a TLS handler factory is given,
 * AUTH (RFC 4954: SCRAM-SHA-256, and PLAIN and LOGIN only under TLS or from loopback when allowed)
 * on listeners whose settings enable it; a session that authenticated is recorded as ESMTPA or
 * ESMTPSA (RFC 3848) with its account in {@link org.mailroom.core.spi.SessionInfo#authUser}.
 * DSN (RFC 3461: RET, ENVID, NOTIFY, ORCPT, passed to the sink in the
 * {@link org.mailroom.core.spi.Envelope}), SMTPUTF8 (RFC 6531: non-ASCII addresses only with the
 * MAIL parameter; the "with" keyword becomes UTF8SMTP[S][A]), CHUNKING and BINARYMIME (RFC 3030:
 * BDAT content has CR LF turned into LF and, like DATA, is refused with a bare CR or LF).
 * On listeners that require AUTH, {@code SubmissionHeaders} adds a missing Message-ID: and Date:
 * (RFC 6409 8.2, 8.3). {@code smtp.maxMessagesPerSession}: the MAIL over it gets 452 4.3.0.
 *
 * <p>Invariants:
 * <ul>
 * <li>Only the sink ({@link org.mailroom.core.spi.MessageSink}) decides about recipients, relaying
 *     and trace headers; the session never does.</li>
 * <li>The sink is called on the blocking executor with input paused, so pipelined commands run
 *     in order and the 250 after DATA is sent only once the sink said the message is durable.</li>
 * <li>Message content with a bare CR or LF is refused, never repaired (RFC 5321 2.3.8).</li>
 * <li>After STARTTLS nothing received before the handshake is executed (RFC 3207 4.2).</li>
 * <li>Log lines carry the queue id and never message content, nor credentials.</li>
 * <li>Failed AUTH replies are delayed by {@link org.mailroom.core.account.AuthThrottle} on the
 *     event loop's timer, never by a sleeping thread.</li>
 * </ul>
 *
 * <p>Not done yet: EXTERNAL (client certificates), binding MAIL FROM to the authenticated account,
 * UTF-8 in ESMTP parameter values (RFC 6531 3.3, e.g. utf-8-addr-xtext in ORCPT), REQUIRETLS.
 */
package org.mailroom.smtp.server;
