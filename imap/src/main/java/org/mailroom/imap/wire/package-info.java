/**
 * IMAP wire vocabulary (RFC 9051 section 9, RFC 3501 5.1.3), shared by the server and by tests
 * that act as a client.
 *
 * <ul>
 *   <li>{@link org.mailroom.imap.wire.ImapReader}: reads one command line (without CRLF) piece by
 *       piece; a literal announcement {@code {n}} / {@code {n+}} ends the line and comes back as a
 *       {@link org.mailroom.imap.wire.LiteralMarker}, whose octets the session reads in the framing
 *       layer's counted mode. List nesting is bounded by {@link org.mailroom.imap.wire.ImapReader#MAX_DEPTH}.</li>
 *   <li>{@link org.mailroom.imap.wire.SequenceSet}: {@code sequence-set} with {@code *} and
 *       {@code $}; resolves {@code *} against a largest number the caller supplies; at most
 *       {@link org.mailroom.imap.wire.SequenceSet#MAX_RANGES} items.</li>
 *   <li>{@link org.mailroom.imap.wire.ImapStrings}: the writer side of strings (quoted or literal,
 *       atom when an astring allows it) and strict modified UTF-7 for mailbox names.</li>
 * </ul>
 *
 * <p>Invariants: nothing here knows a session, a socket, a mailbox or a configuration; it depends on
 * the JDK only. Bad client input is reported only as the checked
 * {@link org.mailroom.imap.wire.ImapSyntaxException} (the session's {@code BAD}); programming errors
 * (an unquotable value passed to {@code quoted}, an unpaired surrogate to encode) are
 * {@link java.lang.IllegalArgumentException}.
 *
 * <p>Deliberately not here yet: {@code literal8} ({@code ~{n}}, RFC 9051 / RFC 3516), literals
 * inside {@link org.mailroom.imap.wire.ImapReader#list()}, command records (they come with the
 * commands), UTF8=ACCEPT mailbox names (RFC 9051 6.3.1: then names are sent as UTF-8 strings).
 */
package org.mailroom.imap.wire;
