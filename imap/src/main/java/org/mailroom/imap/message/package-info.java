/**
 * Message structure for IMAP FETCH: the MIME part tree of a stored message, ENVELOPE, BODY and
 * BODYSTRUCTURE, the octets of every {@code BODY[section]} and {@code BINARY[part]}, and a compact
 * cache form of structure and envelope.
 *
 * <ul>
 *   <li>{@link org.mailroom.imap.message.MessageStructure}: parsed once per message
 *       ({@code parse}), cached ({@code toBytes}/{@code fromBytes}); renders {@code BODY},
 *       {@code BODYSTRUCTURE} and {@code ENVELOPE} as IMAP octets; {@code part(int[])} resolves
 *       part numbers.</li>
 *   <li>{@link org.mailroom.imap.message.Envelope}: ENVELOPE from the header alone
 *       ({@code Envelope.parse(InputStream)} stops at the empty line), with its own cache form.</li>
 *   <li>{@link org.mailroom.imap.message.Sections}: {@code body(structure, source, section)} and
 *       {@code binary(...)} give a {@link org.mailroom.imap.message.SectionContent} (size first,
 *       octets streamed from the store), {@code partial(start, count)} for {@code <start.count>}.</li>
 *   <li>{@link org.mailroom.imap.message.MessageSource}: how this package reads stored octets.</li>
 * </ul>
 *
 * <p>Invariants: every size, offset and octet this package hands out is in the CRLF view
 * (a bare LF of the stored file counts and is sent as CRLF, RFC 9051 2.3.4), so a Maildir file
 * written with LF (our deliveries) and one written with CRLF (other tools) give identical answers.
 * Header values are raw octets kept one char per octet (ISO-8859-1) and sent unchanged: RFC 2047
 * words are not decoded, 8-bit values (RFC 6532) go out as literals. Malformed MIME never throws;
 * limits ({@link org.mailroom.imap.message.MessageStructure#MAX_DEPTH} 100,
 * {@link org.mailroom.imap.message.MessageStructure#MAX_PARTS} 10000, header lines looked at up to
 * 64 KiB, field values kept up to 256 KiB, 64 parameters) turn the excess into opaque data.
 * Corrupt cache octets give {@link org.mailroom.imap.message.StructureFormatException}; an
 * undecodable BINARY gives {@link org.mailroom.imap.message.UnknownCteException}. Nothing here
 * touches a socket or runs on an event loop: parsing and section reads block on the store.
 *
 * <p>Output follows Dovecot 2.3 where the RFCs leave room. BODYSTRUCTURE, BODY and ENVELOPE were
 * compared octet for octet with Dovecot 2.3.19 on 629 messages (the gen_maildir.py corpus, random
 * MIME trees written by Python's email package with LF and CRLF, hand-made edge cases): all
 * identical; section octets too, but for the three cases listed below. What that means: case of
 * types and parameters as sent,
 * {@code "7bit"} and {@code ("charset" "us-ascii")} defaults, complete extension data,
 * {@code MISSING_MAILBOX}/{@code MISSING_DOMAIN} for broken addresses, strings quoted with up to
 * four escapes and otherwise literals, subject and display names cleaned of white space runs
 * "for humans" (then sent as literals), other header strings unfolded, a multipart without parts
 * shown as one empty text/plain, boundaries matched on their prefix, lines = LFs in the body,
 * a leaf is its own part 1 once ({@code [2.1]} = {@code [2]}). Known differences from Dovecot, all
 * in malformed mail: a header that ends without an empty line gets one in HEADER.FIELDS; a
 * header cut by a boundary keeps its last CRLF in {@code [n.MIME]}; HEADER/TEXT of an encoded
 * message/rfc822 part are empty (Dovecot reads the encoded text as a message); BINARY[] is the
 * message unchanged (Dovecot rewrites a single part's Content-Transfer-Encoding).
 *
 * <p>RFCs: RFC 9051 6.4.5 (sections, partials), 7.5.2 (ENVELOPE, BODY, BODYSTRUCTURE), 9
 * (grammar); RFC 3501 7.4.2; RFC 3516 (BINARY); RFC 2045/2046 (MIME, boundaries, defaults, digest);
 * RFC 2183 (Content-Disposition); RFC 2231 3 (parameter continuations joined, values not decoded);
 * RFC 3282 (Content-Language); RFC 5322 3.4 (address lists, groups, obsolete routes).
 *
 * <p>Not done: decoding RFC 2231 charset/percent values or RFC 2047 words (not wanted in
 * BODYSTRUCTURE/ENVELOPE); BINARY of encodings other than base64 and quoted-printable
 * ({@code NO [UNKNOWN-CTE]}); {@code literal8} choice (the session writes BINARY as {@code ~{n}});
 * a cache of decoded BINARY sizes; UTF8=ACCEPT specifics; Content-MD5 verification (its value is
 * reported as sent).
 */
package org.mailroom.imap.message;
