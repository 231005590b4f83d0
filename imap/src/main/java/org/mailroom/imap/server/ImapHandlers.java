package org.mailroom.imap.server;

import java.util.HashMap;
import java.util.Map;
import org.mailroom.imap.wire.Command;

/**
 * Which handler executes which command: one {@link ImapHandler} per {@link Command} record type
 * (SELECT and EXAMINE share {@link Command.Select}, FETCH and UID FETCH share
 * {@link Command.Fetch}: the handler reads the record). Built once per listener by
 * {@link #standard}; shared by its sessions.
 *
 * <p>To add a command: write its handler, register it in {@link #standard} with
 * {@code .on(Command.Xxx.class, handler)}, add a transcript. Everything not registered is answered
 * by {@link #NOT_IMPLEMENTED}.
 */
public final class ImapHandlers {

    /**
     * THE placeholder for every command that has no handler yet: {@code NO [CANNOT] not implemented
     * yet} (RFC 5530 3). TODO(#6): the lead registers SELECT/EXAMINE, FETCH, STORE, SEARCH, LIST,
     * STATUS, APPEND, COPY/MOVE, EXPUNGE, CREATE/DELETE/RENAME, (UN)SUBSCRIBE, LSUB, QUOTA in
     * {@link #standard}; then this answers nothing any more.
     */
    static final ImapHandler<Command> NOT_IMPLEMENTED = (ctx, c) -> {
        throw new ImapNo("CANNOT", "not implemented yet");
    };

    private final Map<Class<? extends Command>, ImapHandler<?>> byType = new HashMap<>();

    private ImapHandlers() {}

    /** An empty table: every command gets {@link #NOT_IMPLEMENTED} (tests). */
    static ImapHandlers none() {
        return new ImapHandlers();
    }

    /** Every handler Mailroom has, for the sessions of one listener. */
    static ImapHandlers standard(ImapSettings settings, ImapInitializer.Services services) {
        ConnectionHandlers connection = new ConnectionHandlers(services.capabilities());
        LoginHandler login = new LoginHandler(services);
        FolderHandlers folders = new FolderHandlers(services.store());
        QuotaHandlers quota = new QuotaHandlers(services.store());
        ListHandler list = new ListHandler(services.store(), settings.appendLimit());
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        // files not in the page cache: a virtio disk read 9,000 small files a second one at a time, 31,000
        // with 16 in flight; at most half the blocking pool, which deliveries and logins share
        int inFlight = Math.max(cores, Math.min(16, services.executor().threads() / 2));
        return new ImapHandlers()
                .on(Command.Capability.class, connection::capability)
                .on(Command.Noop.class, connection::noop)
                .on(Command.Check.class, connection::noop) // RFC 3501 6.4.1: no housekeeping to do, CHECK is NOOP
                .on(Command.Logout.class, connection::logout)
                .on(Command.Id.class, connection::id)
                .on(Command.Namespace.class, connection::namespace)
                .on(Command.Enable.class, connection::enable)
                .on(Command.StartTls.class, new StartTlsHandler(services.startTls()))
                .on(Command.Login.class, login::login)
                .on(Command.Authenticate.class, login::authenticate)
                .on(Command.Compress.class, new CompressHandler())
                .on(Command.Idle.class, new IdleHandler())
                .on(Command.Unselect.class, SelectionHandlers::unselect)
                .on(Command.Close.class, SelectionHandlers::close)
                .on(Command.Select.class, new SelectHandler(services.store()))
                .on(Command.Create.class, folders::create)
                .on(Command.Delete.class, folders::delete)
                .on(Command.Rename.class, folders::rename)
                .on(Command.Subscribe.class, folders::subscribe)
                .on(Command.Unsubscribe.class, folders::unsubscribe)
                .on(Command.ListMailboxes.class, list::list)
                .on(Command.Lsub.class, list::lsub)
                .on(Command.Status.class, list::status)
                .on(Command.Append.class, new AppendHandler(services.store()))
                .on(Command.Store.class, MessageHandlers::store)
                .on(Command.Expunge.class, MessageHandlers::expunge)
                .on(Command.Copy.class, MessageHandlers::copy)
                .on(Command.Move.class, MessageHandlers::move)
                .on(Command.Fetch.class, new FetchHandler(java.time.ZoneId.systemDefault(), services.executor(), cores, inFlight))
                .on(Command.Search.class, new SearchHandler(java.time.ZoneId.systemDefault(), services.executor(), cores, inFlight))
                .on(Command.GetQuotaRoot.class, quota::getQuotaRoot)
                .on(Command.GetQuota.class, quota::getQuota)
                .on(Command.SetQuota.class, quota::setQuota);
    }

    /** Registers {@code handler} for commands of {@code type}, replacing any handler before. */
    public <C extends Command> ImapHandlers on(Class<C> type, ImapHandler<? super C> handler) {
        byType.put(type, handler);
        return this;
    }

    @SuppressWarnings("unchecked") // on() pairs each record type with a handler for that type
    Completion handle(ImapContext ctx, Command c) {
        ImapHandler<Command> h = (ImapHandler<Command>) byType.getOrDefault(c.getClass(), NOT_IMPLEMENTED);
        return h.handle(ctx, c);
    }
}
