/**
 * Delivery status notifications (RFC 3464, RFC 3461 6, RFC 6522, RFC 6533 for UTF-8): {@link
 * org.mailroom.delivery.dsn.DsnBuilder} turns a {@link org.mailroom.delivery.dsn.DsnRequest} (one
 * original message, one or more {@link org.mailroom.delivery.dsn.RecipientStatus}) into a complete
 * {@code multipart/report} message with LF line ends, ready for the queue.
 *
 * <p>Invariants:
 * <ul>
 * <li>Nothing from outside (remote replies, addresses, ENVID, ORCPT) can add a header line or a
 * MIME part: values lose CR, LF and control characters and are folded (RFC 5322 2.2.3, at most 998
 * octets a line), and the boundary is checked against every line of every part (RFC 2046 5.1.1).
 * <li>The original is streamed and copied octet for octet; it is never rewritten.
 * <li>Building is blocking (it reads the original) and runs on the blocking executor.
 * </ul>
 *
 * <p>The caller's duties, not done here: deciding which recipients get a report (NOTIFY, RFC 3461
 * 4.1), never reporting on mail from the null sender, and queueing the report with the null
 * reverse path {@code MAIL FROM:<>} (RFC 3461 6.2, RFC 5321 4.5.5) through the one queue entry.
 *
 * <p>Deliberately not here (yet): localized texts, postmaster copies (Postfix notify_classes),
 * decoding an xtext ORCPT (it is reported as given), {@code X-} vendor fields, converting an 8-bit
 * original for a 7-bit path (remote delivery refuses instead).
 */
package org.mailroom.delivery.dsn;
