/**
 * IMAP wire vocabulary (RFC 9051 section 9, RFC 3501 5.1.3), shared by the server and by tests
 * that act as a client.
 *
 * <ul>
 *   <li>{@link org.mailroom.imap.wire.ImapCommandParser}: a whole command (its lines and literals,
 *       {@link org.mailroom.imap.wire.CommandText}) into a tag and a typed
 *       {@link org.mailroom.imap.wire.Command}; {@code tagOf} and {@code commandName} let the
 *       session answer {@code * BAD} and choose a literal limit from the first line alone. The
 *       grammar is split by family: session-level commands in the parser itself, then
 *       {@code MailboxCommandParser}, {@code SearchParser}, {@code FetchParser} and
 *       {@code MessageCommandParser} (package-private).</li>
 *   <li>{@link org.mailroom.imap.wire.ImapReader}: the tokenizer. Over one line it reads atoms,
 *       quoted strings, numbers, bounded lists and recognises a literal announcement
 *       ({@link org.mailroom.imap.wire.LiteralMarker}); over a whole {@code CommandText} it also
 *       reads the literals where strings are expected and continues on the next line.
 *       {@link org.mailroom.imap.wire.ImapReader#trailingLiteral(String)} tells the framing layer
 *       that octets follow a line. List nesting is bounded by
 *       {@link org.mailroom.imap.wire.ImapReader#MAX_DEPTH}.</li>
 *   <li>{@link org.mailroom.imap.wire.ImapWriter}: responses into a Netty {@code ByteBuf}:
 *       status lines with response codes, atoms, numbers, strings (quoted or literal), literals and
 *       {@code literal8}, mailbox names (modified UTF-7, or UTF-8 after UTF8=ACCEPT), lists.</li>
 *   <li>{@link org.mailroom.imap.wire.SequenceSet}: {@code sequence-set} with {@code *} and
 *       {@code $}; resolves {@code *} against a largest number the caller supplies; at most
 *       {@link org.mailroom.imap.wire.SequenceSet#MAX_RANGES} items.</li>
 *   <li>{@link org.mailroom.imap.wire.ImapStrings}: the rules for strings (quoted or literal, atom
 *       when an astring allows it) and strict modified UTF-7 for mailbox names.</li>
 * </ul>
 *
 * <p>Invariants: nothing here knows a session, a socket, a mailbox or a configuration; it depends on
 * the JDK and netty-buffer only. Bad client input is reported only as the checked
 * {@link org.mailroom.imap.wire.ImapSyntaxException} (the session's {@code BAD}) or its subclass
 * {@link org.mailroom.imap.wire.BadCharsetException} ({@code NO [BADCHARSET]}); programming errors
 * (an unquotable value passed to {@code quoted}, a negative number to write) are
 * {@link java.lang.IllegalArgumentException}. Every list a client can make long is bounded by a
 * {@code MAX_} constant of {@code ImapCommandParser}, and string literals by
 * {@link org.mailroom.imap.wire.ImapReader#MAX_TEXT_LITERAL}; the parser is fuzzed
 * ({@code ImapCommandParserFuzzTest}).
 *
 * <p>Deliberately not here: RFC 3502 MULTIAPPEND and RFC 4469 CATENATE (one message per APPEND),
 * SEARCH keys of extensions Mailroom does not offer (FUZZY, SAVEDBEFORE, EMAILID), RFC 5267
 * CONTEXT, SORT and THREAD, LIST-EXTENDED options Mailroom does not implement (they are BAD rather
 * than ignored), per-flag mod-sequences (the MODSEQ search entry name is checked and dropped).
 */
package org.mailroom.imap.wire;
