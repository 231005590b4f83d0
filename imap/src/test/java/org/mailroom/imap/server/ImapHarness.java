package org.mailroom.imap.server;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.account.AccountStore;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.net.Listener;
import org.mailroom.core.net.NetServer;
import org.mailroom.core.store.maildir.MaildirStore;
import org.mailroom.imap.wire.Command;

/**
 * A real IMAP server for tests on 127.0.0.1 with ephemeral ports. Listeners:
 * <ul>
 *   <li>{@code imap}: STARTTLS; passwords in the clear allowed from loopback</li>
 *   <li>{@code imap-strict}: STARTTLS; passwords only after STARTTLS</li>
 *   <li>{@code imaps}: implicit TLS</li>
 * </ul>
 * All share one throttle and one per-user connection count, as the daemon wires them.
 * SELECT and EXAMINE are answered by a test handler that selects {@link #mailbox} (a
 * {@link TestMailbox}), so the session's SELECTED-state behaviour can be tested before the real
 * mailbox handlers exist.
 */
final class ImapHarness implements AutoCloseable {
    static final String HOSTNAME = "mail.example.test";
    private static final SslContext TLS = selfSigned();

    private final AccountStore accounts;
    private final BlockingExecutor executor = new BlockingExecutor(4, 100);
    private final NetServer server = new NetServer(5000, 5000, 2); // IdleWakeBench and IdleMemoryBench open thousands
    final UserConnections users = new UserConnections();
    private final Path mailRoot;
    /** What the test SELECT selects; replaced per SELECT. */
    volatile TestMailbox mailbox;

    /** The real handlers on every listener (transcripts). */
    ImapHarness(Path dir) throws IOException {
        this(dir, s -> s, new AuthThrottle(), h -> { }, false);
    }

    ImapHarness(Path dir, java.util.function.UnaryOperator<ImapSettings> tune, AuthThrottle throttle,
                Consumer<ImapHandlers> extra) throws IOException {
        this(dir, tune, throttle, extra, true);
    }

    /**
     * @param tune  changes the {@code imap} listener's settings (limits for a test)
     * @param extra registers test handlers on the {@code imap} listener
     */
    ImapHarness(Path dir, java.util.function.UnaryOperator<ImapSettings> tune, AuthThrottle throttle,
                Consumer<ImapHandlers> extra, boolean testMailbox) throws IOException {
        this(dir, tune, throttle, extra, testMailbox, maildir -> maildir);
    }

    /** The real handlers on every listener, over the store {@code stores} makes of the Maildir store (transcripts on mbox). */
    ImapHarness(Path dir, java.util.function.Function<MaildirStore, org.mailroom.core.store.MailStore> stores) throws IOException {
        this(dir, s -> s, new AuthThrottle(), h -> { }, false, stores);
    }

    /** The real handlers over the store {@code stores} makes, with the {@code imap} listener's settings tuned. */
    ImapHarness(Path dir, java.util.function.UnaryOperator<ImapSettings> tune,
                java.util.function.Function<MaildirStore, org.mailroom.core.store.MailStore> stores) throws IOException {
        this(dir, tune, new AuthThrottle(), h -> { }, false, stores);
    }

    private ImapHarness(Path dir, java.util.function.UnaryOperator<ImapSettings> tune, AuthThrottle throttle,
                        Consumer<ImapHandlers> extra, boolean testMailbox,
                        java.util.function.Function<MaildirStore, org.mailroom.core.store.MailStore> stores) throws IOException {
        this.mailRoot = dir.resolve("mail");
        org.mailroom.core.store.MailStore store = stores.apply(new MaildirStore(mailRoot, HOSTNAME));
        this.accounts = new PropertiesAccountStore(dir.resolve("users.properties"), new PasswordHasher());
        Authenticator auth = new Authenticator(accounts, "example.test");
        List<ListenAddress> any = List.of(new ListenAddress("127.0.0.1", 0));
        Consumer<ImapHandlers> testSelect = !testMailbox ? h -> { } : h -> h.on(Command.Select.class, (ctx, c) -> {
            TestMailbox m = new TestMailbox(c.readOnly());
            mailbox = m;
            ctx.select(m);
            ctx.untagged("0 EXISTS");
            return Completion.ok(c.readOnly() ? "READ-ONLY" : "READ-WRITE", "SELECT completed");
        });
        server.bind("imap", any, new ImapInitializer(tune.apply(settings("imap", true)), store, auth, executor,
                ImapHarness::startTls, throttle, users, testSelect.andThen(extra)), null);
        server.bind("imap-strict", any, new ImapInitializer(settings("imap-strict", false), store, auth, executor,
                ImapHarness::startTls, throttle, users, testSelect), null);
        server.bind("imaps", any, new ImapInitializer(settings("imaps", false), store, auth, executor,
                null, throttle, users, testSelect), ch -> TLS.newHandler(ch.alloc()));
    }

    /** The Maildir of an account's INBOX (the store's layout: domain, then local part). */
    Path maildir(String account) {
        int at = account.indexOf('@');
        return mailRoot.resolve(account.substring(at + 1)).resolve(account.substring(0, at));
    }

    static ImapSettings settings(String name, boolean loopbackPlaintext) {
        return new ImapSettings(HOSTNAME, name, Duration.ofMinutes(30), 65536, 25L * 1024 * 1024, 3, loopbackPlaintext);
    }

    static SslHandler startTls(Channel ch) {
        return new SslHandler(TLS.newEngine(ch.alloc()), true);
    }

    private static SslContext selfSigned() {
        try {
            SelfSignedCertificate c = new SelfSignedCertificate(HOSTNAME);
            return SslContextBuilder.forServer(c.key(), c.cert()).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    InetSocketAddress address(String listener) {
        for (Listener l : server.listeners()) if (l.name().equals(listener)) return l.boundAddresses().get(0);
        throw new IllegalArgumentException("no listener " + listener);
    }

    void addUser(String address, String password) {
        try {
            if (accounts.find(address).isPresent()) accounts.setPassword(address, password.toCharArray());
            else accounts.add(address, password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    NetServer server() { return server; }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
        server.close();
        executor.close();
    }
}
