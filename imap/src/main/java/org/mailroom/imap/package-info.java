/**
 * IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051) access to the shared mail store. The module uses
 * {@code server-core} only and is wired by the daemon like {@code pop3} (DESIGN.md section 1).
 *
 * <p>Layout (STYLE.md 1.1):
 * <ul>
 *   <li>{@link org.mailroom.imap.wire}: the wire vocabulary, JDK and netty-buffer only, knowing no
 *       session: {@link org.mailroom.imap.wire.ImapCommandParser} (a whole command with its
 *       literals into a {@link org.mailroom.imap.wire.Command} record),
 *       {@link org.mailroom.imap.wire.ImapWriter} (responses into a ByteBuf),
 *       {@link org.mailroom.imap.wire.ImapReader} (the tokenizer),
 *       {@link org.mailroom.imap.wire.SequenceSet},
 *       {@link org.mailroom.imap.wire.ImapStrings} (quoted strings, literals and astrings;
 *       modified UTF-7 mailbox names). Syntax errors are
 *       {@link org.mailroom.imap.wire.ImapSyntaxException}, which the session answers with
 *       {@code BAD}.</li>
 *   <li>{@link org.mailroom.imap.server}: the session, the command table with its flags, the
 *       handler contract, the connection-level handlers and the {@code SelectedMailbox} interface
 *       the mailbox handlers implement.</li>
 * </ul>
 */
package org.mailroom.imap;
