/**
 * Framing shared by the line protocols: {@link org.mailroom.core.frame.LineDecoder} turns bytes into
 * {@link org.mailroom.core.frame.Line}s, and on request into the body of an SMTP DATA transfer
 * (dot-unstuffed, CRLF.CRLF-terminated) or a counted block (BDAT, IMAP literals).
 *
 * <p>Invariants: limits are enforced here and reported as messages
 * ({@link org.mailroom.core.frame.LineTooLong}, {@link org.mailroom.core.frame.DataEnd#tooBig()}),
 * never as exceptions; the end of DATA is recognised only as CR LF "." CR LF (RFC 5321 4.1.1.4),
 * and a bare CR or LF never starts a line (SMTP smuggling); the decoder knows no command names.
 */
package org.mailroom.core.frame;
