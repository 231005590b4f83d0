/**
 * SMTP wire vocabulary, shared by the server ({@code org.mailroom.smtp.server}) and delivery's SMTP
 * client: reply codes (RFC 5321 4.2.2), enhanced status codes (RFC 3463), replies and their
 * encoding (RFC 5321 4.2.1, RFC 2034), paths (RFC 5321 4.1.2, 4.1.3), ESMTP parameters
 * (RFC 5321 4.1.2), the command parser and, for the client side, the reply parser
 * ({@link org.mailroom.smtp.wire.ReplyParser}, RFC 5321 4.2, RFC 2034 3).
 *
 * <p>Invariants: nothing here knows a session, a socket or a configuration; it depends on the JDK
 * and Netty buffers only. Parsers never resolve names and never throw anything but
 * {@link org.mailroom.smtp.wire.SmtpReplyException} (command parser) or
 * {@link java.lang.IllegalArgumentException} (path, parameter and reply parsers) on bad input.
 *
 * <p>Deliberately not here: SMTPUTF8 (RFC 6531) beyond recognising UTF-8 in paths
 * ({@link org.mailroom.smtp.wire.Path#nonAscii()}), BDAT (RFC 3030), AUTH (RFC 4954).
 */
package org.mailroom.smtp.wire;
