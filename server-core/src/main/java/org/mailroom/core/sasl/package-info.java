/**
 * SASL mechanisms shared by SMTP AUTH (RFC 4954), IMAP AUTHENTICATE (RFC 9051 6.2.2) and POP3 AUTH
 * (RFC 5034). For now PLAIN (RFC 4616, {@link org.mailroom.core.sasl.SaslPlain}); LOGIN and
 * SCRAM-SHA-256 follow with submission. Mechanisms decode client responses into
 * {@link org.mailroom.core.sasl.Credentials} and throw {@link org.mailroom.core.sasl.SaslException}
 * with a message fit for the client; the protocol session owns the exchange (challenges, the
 * {@code *} cancel, requiring TLS) and the account check. Passwords travel as {@code char[]} and
 * are wiped after the check; no message or log line contains one.
 */
package org.mailroom.core.sasl;
