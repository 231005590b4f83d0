/**
 * SASL (RFC 4422) on the server side, shared by SMTP AUTH (RFC 4954), IMAP AUTHENTICATE (RFC 9051
 * 6.2.2) and POP3 AUTH (RFC 5034). {@link org.mailroom.core.sasl.SaslMechanism} is the SPI: a name,
 * whether the password crosses the wire ({@code plaintext()}), and a
 * {@link org.mailroom.core.sasl.SaslServer} per exchange, a state machine that takes decoded client
 * responses and returns the next challenge, success (with optional additional data) or failure.
 * Mechanisms: {@link org.mailroom.core.sasl.Plain} (RFC 4616, message decoding in
 * {@link org.mailroom.core.sasl.SaslPlain}), {@link org.mailroom.core.sasl.Login}
 * (draft-murchison-sasl-login) and {@link org.mailroom.core.sasl.ScramSha256} (RFC 7677, RFC 5802).
 * {@link org.mailroom.core.sasl.External} (RFC 4422 appendix A) stands apart: it takes the identity
 * of a verified TLS client certificate, so the session starts it only when it holds one.
 *
 * <p>The protocol session owns the wire: base64, the initial response form (RFC 4422 3.3), the
 * {@code *} cancel (RFC 4422 3.5), requiring TLS for plaintext mechanisms, the throttle
 * ({@link org.mailroom.core.account.AuthThrottle}) and the replies. Malformed responses throw
 * {@link org.mailroom.core.sasl.SaslException} with a message fit for the client. Steps may block
 * (password hashing, the account store): the session runs them on the blocking executor.
 *
 * <p>Invariants: every finished exchange writes exactly one login line through
 * {@link org.mailroom.core.account.Authenticator}; passwords travel as {@code char[]} and are wiped
 * after the check; no message or log line contains a password, a proof or a key. An authorization
 * identity other than the authentication identity fails: proxy authentication is not supported.
 *
 * <p>Not done: SASLprep (RFC 4013), SCRAM channel binding (-PLUS), OAUTHBEARER/XOAUTH2.
 */
package org.mailroom.core.sasl;
