/**
 * IMAP SEARCH evaluation: a parsed {@link org.mailroom.imap.wire.SearchKey} is compiled once into
 * an immutable {@link org.mailroom.imap.search.SearchProgram} and evaluated against
 * {@link org.mailroom.imap.search.Candidate}s (one message each, implemented by the session over
 * its view and the mail store) by a per-thread {@link org.mailroom.imap.search.SearchMatcher}.
 *
 * <p>RFCs: RFC 9051 6.4.4 (search keys; text keys are case-insensitive substrings), RFC 3501
 * 6.4.4 (NEW/OLD/RECENT), RFC 5182 ({@code $}, {@link org.mailroom.imap.search.SavedResult}),
 * RFC 7162 3.1.5 (MODSEQ), RFC 5322 (header fields, folding, Date: with obsolete forms),
 * RFC 2045/2046 (MIME structure, transfer encodings), RFC 2047 (encoded-words), RFC 6532 (UTF-8
 * headers), RFC 5051 (i;unicode-casemap, approximated), RFC 5256 2.2 (sent date fallback).
 *
 * <p>Invariants:
 * <ul>
 *   <li>Evaluation order: attribute keys (flags, keywords, recent, sequence numbers, UIDs, size,
 *       internal date, modseq) before header keys (HEADER/FROM/TO/CC/BCC/SUBJECT, SENT*) before
 *       message keys (BODY, TEXT), inside every AND and OR; a candidate's header is opened only
 *       if a header key is reached, the whole message only if a BODY/TEXT key is reached, and
 *       each at most once per candidate.</li>
 *   <li>Semantics of text keys: case-insensitive substring ({@code CaseFold}: per code point
 *       lower(upper(c)), no normalisation). HEADER looks at each field of that name, unfolded and
 *       RFC 2047-decoded; {@code HEADER name ""} matches a message that has the field. BODY looks
 *       at the decoded text of the text parts (see {@code MessageText} for exactly which parts),
 *       TEXT at the header and the MIME part headers (every field as written, "name:value",
 *       unfolded and decoded) or the body. Keys have no side effects, so reordering operands never changes a result.</li>
 *   <li>Dates: BEFORE/ON/SINCE compare the internal date's calendar date in the zone given at
 *       compile time (default: the JVM's, as Dovecot uses the server's); SENT* compare the date
 *       written in Date: regardless of its zone, falling back to the internal date.</li>
 *   <li>Programs are immutable and shared between threads; matchers are not.</li>
 *   <li>Speed: an ASCII needle is searched as bytes (case-insensitive Horspool) in place in
 *       7bit/8bit parts of ASCII-superset charsets; only QP/base64 text parts are decoded, into
 *       reused buffers; non-text parts are skipped by boundary search without being looked at; a
 *       non-ASCII needle first looks for its longest ASCII run as bytes and decodes only the text
 *       parts where that run occurs. XXX the byte path folds ASCII letters only (see
 *       {@code Needle}: U+017F, U+212A, U+0130 do not match s, k, i there).</li>
 * </ul>
 *
 * <p>Not done: FTS indexes (every BODY/TEXT search reads the messages); Unicode normalisation and
 * full RFC 5051 titlecase folding; {@code SEARCH CHARSET} other than what the parser turns into a
 * Java String (the session converts); needles with line breaks match body text only (line ends
 * compared as LF, on the slow path), never inside a header field; RFC 2231 continued boundary
 * parameters; uuencode and other transfer encodings (searched raw); messages are held whole in memory while searched (4 MiB retained per thread); the
 * {@code MODSEQ} entry-name/type of RFC 7162 (per-flag mod-sequences) are ignored, as the store
 * keeps one mod-sequence per message; results are not cached between searches.
 */
package org.mailroom.imap.search;
