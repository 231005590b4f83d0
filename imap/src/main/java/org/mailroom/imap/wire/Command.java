package org.mailroom.imap.wire;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One parsed IMAP command (RFC 9051 6 and the extensions Mailroom offers), without its tag. Made by
 * {@code ImapCommandParser}, which knows no session: mailbox names are returned as sent (modified
 * UTF-7 or, after ENABLE UTF8=ACCEPT, UTF-8); the session decodes them and folds {@code INBOX}.
 * Flags are returned as sent ({@code \Seen}, {@code $Junk}).
 */
public sealed interface Command {

    record Capability() implements Command {}

    record Noop() implements Command {}

    record Logout() implements Command {}

    record StartTls() implements Command {}

    /**
     * @param initialResponse RFC 4959 SASL-IR: the base64 text after the mechanism, {@code "="} for
     *                        an empty one, {@code null} when none was sent
     */
    record Authenticate(String mechanism, String initialResponse) implements Command {}

    record Login(String user, String password) implements Command {}

    /** RFC 5161; capability names upper-cased. */
    record Enable(List<String> capabilities) implements Command {}

    /**
     * SELECT or EXAMINE ({@code readOnly}) with RFC 7162 parameters.
     *
     * @param qresync {@code null} unless {@code (QRESYNC (...))} was given
     */
    record Select(String mailbox, boolean readOnly, boolean condstore, Qresync qresync) implements Command {}

    /**
     * RFC 7162 3.2.5 QRESYNC select parameter.
     *
     * @param knownUids  may be {@code null}
     * @param seqMatch   may be {@code null}; with {@code uidMatch}, the sequence match data
     * @param uidMatch   may be {@code null}
     */
    record Qresync(long uidValidity, long modSeq, SequenceSet knownUids, SequenceSet seqMatch,
                   SequenceSet uidMatch) {}

    /** @param specialUse RFC 6154 CREATE-SPECIAL-USE {@code (USE (\Sent))}, empty when not given */
    record Create(String mailbox, List<String> specialUse) implements Command {}

    record Delete(String mailbox) implements Command {}

    record Rename(String from, String to) implements Command {}

    record Subscribe(String mailbox) implements Command {}

    record Unsubscribe(String mailbox) implements Command {}

    /**
     * LIST, with RFC 5258 LIST-EXTENDED and RFC 5819 LIST-STATUS.
     *
     * @param selectOptions upper-cased: SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL-USE
     * @param patterns      one or more (a parenthesised pattern list gives several)
     * @param returnOptions upper-cased: SUBSCRIBED, CHILDREN, SPECIAL-USE, STATUS
     * @param statusItems   the items of {@code RETURN (STATUS (...))}, empty otherwise
     */
    record ListMailboxes(Set<String> selectOptions, String reference, List<String> patterns,
                         Set<String> returnOptions, Set<StatusItem> statusItems) implements Command {}

    record Lsub(String reference, String pattern) implements Command {}

    record Namespace() implements Command {}

    enum StatusItem { MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED, SIZE, RECENT, HIGHESTMODSEQ, APPENDLIMIT }

    record Status(String mailbox, Set<StatusItem> items) implements Command {}

    /**
     * @param flags as sent, may be empty
     * @param date  the internal date to give the message, {@code null} for now
     */
    record Append(String mailbox, List<String> flags, OffsetDateTime date, Literal message) implements Command {}

    record Idle() implements Command {}

    record Check() implements Command {}

    record Close() implements Command {}

    record Unselect() implements Command {}

    /** EXPUNGE ({@code uids == null}) or RFC 4315 UID EXPUNGE set. */
    record Expunge(SequenceSet uids) implements Command {}

    /** RFC 4731 / RFC 9051 6.4.4.1 result options. */
    enum SearchReturn { MIN, MAX, ALL, COUNT, SAVE }

    /**
     * @param charset {@code null} when none was given
     * @param returns {@code null} without a RETURN clause (classic {@code * SEARCH}, or ESEARCH in
     *                IMAP4rev2); {@code RETURN ()} gives {@code {ALL}}
     */
    record Search(boolean uid, String charset, Set<SearchReturn> returns, SearchKey key) implements Command {}

    /**
     * @param changedSince RFC 7162 CHANGEDSINCE, {@code -1} when absent
     * @param vanished     RFC 7162 3.2.6 VANISHED modifier (UID FETCH only)
     */
    record Fetch(boolean uid, SequenceSet set, List<FetchItem> items, long changedSince, boolean vanished)
            implements Command {}

    enum StoreMode { REPLACE, ADD, REMOVE }

    /** @param unchangedSince RFC 7162 UNCHANGEDSINCE, {@code -1} when absent */
    record Store(boolean uid, SequenceSet set, long unchangedSince, StoreMode mode, boolean silent,
                 List<String> flags) implements Command {}

    record Copy(boolean uid, SequenceSet set, String mailbox) implements Command {}

    record Move(boolean uid, SequenceSet set, String mailbox) implements Command {}

    /** RFC 2971; {@code params == null} for {@code ID NIL}; values may be {@code null}. */
    record Id(Map<String, String> params) implements Command {}

    /** RFC 9208. */
    record GetQuota(String root) implements Command {}

    record GetQuotaRoot(String mailbox) implements Command {}

    /** RFC 9208 SETQUOTA; resource names upper-cased. */
    record SetQuota(String root, Map<String, Long> limits) implements Command {}

    /** RFC 4978; mechanism upper-cased. */
    record Compress(String mechanism) implements Command {}
}
