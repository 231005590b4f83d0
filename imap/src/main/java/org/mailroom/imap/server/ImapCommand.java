package org.mailroom.imap.server;

import static org.mailroom.imap.server.ImapState.AUTHENTICATED;
import static org.mailroom.imap.server.ImapState.NOT_AUTHENTICATED;
import static org.mailroom.imap.server.ImapState.SELECTED;

import java.util.EnumSet;
import java.util.Set;
import org.mailroom.imap.wire.Command;

/**
 * The command table (Dovecot {@code imap4rev1_commands[]}, STYLE.md 1.2 point 1): every
 * {@link Command} with the states it is valid in (RFC 9051 6.1 to 6.4 and the extensions) and
 * its semantic flags. {@link ImapSession} checks the state once, before the handler runs; a
 * command in the wrong state is answered {@code BAD} (RFC 9051 6).
 *
 * <p>The flags follow Dovecot's meaning:
 * <ul>
 *   <li>{@link Flag#USES_SEQS}: the arguments or results are message sequence numbers. While such a
 *       command runs no EXPUNGE may be sent (RFC 9051 7.5.1: never during FETCH, STORE, SEARCH;
 *       the UID forms may), because it would renumber what the client is reading; COPY is
 *       treated the same (conservative, never wrong). With concurrent execution it would also
 *       wait for any running {@link Flag#BREAKS_SEQS} command.</li>
 *   <li>{@link Flag#BREAKS_SEQS}: the command itself expunges and so sends EXPUNGE (EXPUNGE, MOVE);
 *       expunges are always allowed after it.</li>
 *   <li>{@link Flag#BREAKS_MAILBOX}: the selected mailbox changes or goes away (SELECT, EXAMINE,
 *       CLOSE, UNSELECT, LOGOUT); no pipelined command may run beside it.</li>
 * </ul>
 * Mailroom executes one command at a time per connection (RFC 9051 5.5 allows that), so no
 * command ever waits for another today; the flags decide what {@link #expungeAllowed()} says and
 * are ready for concurrent execution of pipelined FETCHes. TODO(#6): run non-conflicting
 * pipelined commands concurrently, as Dovecot does, using these flags.
 */
public enum ImapCommand {
    // RFC 9051 6.1: any state
    CAPABILITY(Command.Capability.class, any()),
    NOOP(Command.Noop.class, any()),
    LOGOUT(Command.Logout.class, any(), Flag.BREAKS_MAILBOX),
    ID(Command.Id.class, any()),                                         // RFC 2971 3.1
    // RFC 9051 6.2: not authenticated
    STARTTLS(Command.StartTls.class, EnumSet.of(NOT_AUTHENTICATED)),
    AUTHENTICATE(Command.Authenticate.class, EnumSet.of(NOT_AUTHENTICATED)),
    LOGIN(Command.Login.class, EnumSet.of(NOT_AUTHENTICATED)),
    // RFC 9051 6.3: authenticated (and, as 6.4 says, selected)
    ENABLE(Command.Enable.class, EnumSet.of(AUTHENTICATED)),             // RFC 5161 3.1: authenticated only
    SELECT(Command.Select.class, authenticated(), Flag.BREAKS_MAILBOX),
    EXAMINE(Command.Select.class, authenticated(), Flag.BREAKS_MAILBOX),
    CREATE(Command.Create.class, authenticated()),
    DELETE(Command.Delete.class, authenticated()),
    RENAME(Command.Rename.class, authenticated()),
    SUBSCRIBE(Command.Subscribe.class, authenticated()),
    UNSUBSCRIBE(Command.Unsubscribe.class, authenticated()),
    LIST(Command.ListMailboxes.class, authenticated()),
    LSUB(Command.Lsub.class, authenticated()),
    NAMESPACE(Command.Namespace.class, authenticated()),                 // RFC 2342 5
    STATUS(Command.Status.class, authenticated()),
    APPEND(Command.Append.class, authenticated()),
    IDLE(Command.Idle.class, authenticated()),                           // RFC 2177 3
    COMPRESS(Command.Compress.class, authenticated()),                   // RFC 4978 3
    GETQUOTA(Command.GetQuota.class, authenticated()),                   // RFC 9208 4.2
    GETQUOTAROOT(Command.GetQuotaRoot.class, authenticated()),
    SETQUOTA(Command.SetQuota.class, authenticated()),
    // RFC 9051 6.4: selected
    CHECK(Command.Check.class, EnumSet.of(SELECTED)),                    // RFC 3501 6.4.1 (gone from rev2, kept)
    CLOSE(Command.Close.class, EnumSet.of(SELECTED), Flag.BREAKS_MAILBOX),
    UNSELECT(Command.Unselect.class, EnumSet.of(SELECTED), Flag.BREAKS_MAILBOX),
    EXPUNGE(Command.Expunge.class, EnumSet.of(SELECTED), Flag.BREAKS_SEQS),
    UID_EXPUNGE(Command.Expunge.class, EnumSet.of(SELECTED), Flag.BREAKS_SEQS),  // RFC 4315 2.1
    SEARCH(Command.Search.class, EnumSet.of(SELECTED), Flag.USES_SEQS),
    UID_SEARCH(Command.Search.class, EnumSet.of(SELECTED)),
    FETCH(Command.Fetch.class, EnumSet.of(SELECTED), Flag.USES_SEQS),
    UID_FETCH(Command.Fetch.class, EnumSet.of(SELECTED)),
    STORE(Command.Store.class, EnumSet.of(SELECTED), Flag.USES_SEQS),
    UID_STORE(Command.Store.class, EnumSet.of(SELECTED)),
    COPY(Command.Copy.class, EnumSet.of(SELECTED), Flag.USES_SEQS),
    UID_COPY(Command.Copy.class, EnumSet.of(SELECTED)),
    MOVE(Command.Move.class, EnumSet.of(SELECTED), Flag.USES_SEQS, Flag.BREAKS_SEQS),  // RFC 6851 3.3
    UID_MOVE(Command.Move.class, EnumSet.of(SELECTED), Flag.BREAKS_SEQS);

    /** Semantic flags (see the class comment). */
    public enum Flag { USES_SEQS, BREAKS_SEQS, BREAKS_MAILBOX }

    private final Class<? extends Command> type;
    private final Set<ImapState> states;
    private final Set<Flag> flags;

    ImapCommand(Class<? extends Command> type, Set<ImapState> states, Flag... flags) {
        this.type = type;
        this.states = states;
        this.flags = flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags);
    }

    private static Set<ImapState> any() {
        return EnumSet.of(NOT_AUTHENTICATED, AUTHENTICATED, SELECTED);
    }

    private static Set<ImapState> authenticated() {
        return EnumSet.of(AUTHENTICATED, SELECTED);
    }

    /** The record type the parser makes for this command. */
    public Class<? extends Command> type() { return type; }

    public boolean allowedIn(ImapState state) { return states.contains(state); }

    public boolean has(Flag f) { return flags.contains(f); }

    /**
     * RFC 9051 7.5.1: may EXPUNGE (or VANISHED) responses be sent before this command's tagged
     * response? Not after one that {@link Flag#USES_SEQS uses sequence numbers}, unless it expunges
     * itself.
     */
    public boolean expungeAllowed() {
        return !has(Flag.USES_SEQS) || has(Flag.BREAKS_SEQS);
    }

    /** The command as it appears on the wire ({@code UID FETCH}), for default response texts. */
    public String wireName() {
        return name().replace('_', ' ');
    }

    /** The table row of a parsed command. */
    public static ImapCommand of(Command c) {
        if (c instanceof Command.Select s) return s.readOnly() ? EXAMINE : SELECT;
        if (c instanceof Command.Expunge e) return e.uids() == null ? EXPUNGE : UID_EXPUNGE;
        if (c instanceof Command.Search s) return s.uid() ? UID_SEARCH : SEARCH;
        if (c instanceof Command.Fetch f) return f.uid() ? UID_FETCH : FETCH;
        if (c instanceof Command.Store s) return s.uid() ? UID_STORE : STORE;
        if (c instanceof Command.Copy s) return s.uid() ? UID_COPY : COPY;
        if (c instanceof Command.Move s) return s.uid() ? UID_MOVE : MOVE;
        for (ImapCommand x : values()) if (x.type == c.getClass()) return x;
        throw new IllegalArgumentException("no table row for " + c.getClass().getName());
    }
}
