package org.mailroom.pop3;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AccountStore;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.net.Listener;
import org.mailroom.core.net.NetServer;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.maildir.MaildirStore;

/**
 * A real POP3 server for tests: the Maildir store and the properties account store in a directory,
 * listening on 127.0.0.1 with ephemeral ports. Listeners:
 * <ul>
 *   <li>{@code pop3}: plaintext with STLS; plaintext login allowed from loopback</li>
 *   <li>{@code pop3-strict}: plaintext with STLS; plaintext login only after STLS</li>
 *   <li>{@code pop3s}: implicit TLS</li>
 * </ul>
 * pop3 and pop3s share one lock registry, as the daemon wires them. Several harnesses may run on
 * the same directory one after the other (a restart).
 */
final class Pop3Harness implements AutoCloseable {
    static final String HOSTNAME = "mail.example.test";
    private static final SslContext TLS = selfSigned();

    private final Path dir;
    private final org.mailroom.core.store.MailStore store;
    private final AccountStore accounts;
    private final BlockingExecutor executor = new BlockingExecutor(4, 100);
    private final NetServer server = new NetServer(100, 100, 2);
    private final MaildropLocks locks = new MaildropLocks();

    Pop3Harness(Path dir) throws IOException {
        this(dir, Duration.ofMinutes(10));
    }

    Pop3Harness(Path dir, Duration idleTimeout) throws IOException {
        this(dir, idleTimeout, new AuthThrottle());
    }

    /** With a throttle of the test's choosing, shared by the three listeners as the daemon shares one. */
    Pop3Harness(Path dir, Duration idleTimeout, AuthThrottle throttle) throws IOException {
        this(dir, idleTimeout, throttle, maildir -> maildir);
    }

    /** Over the store {@code stores} makes of the Maildir store (the transcripts on mbox). */
    Pop3Harness(Path dir, Duration idleTimeout, AuthThrottle throttle,
                java.util.function.Function<MaildirStore, org.mailroom.core.store.MailStore> stores) throws IOException {
        this.dir = dir;
        this.store = stores.apply(new MaildirStore(dir.resolve("mail"), HOSTNAME));
        this.accounts = new PropertiesAccountStore(dir.resolve("users.properties"), new PasswordHasher());
        Authenticator auth = new Authenticator(accounts, "example.test");
        List<ListenAddress> any = List.of(new ListenAddress("127.0.0.1", 0));
        server.bind("pop3", any, new Pop3Initializer(new Pop3Settings(HOSTNAME, "pop3", idleTimeout, true),
                store, auth, executor, Pop3Harness::startTls, locks, throttle), null);
        server.bind("pop3-strict", any, new Pop3Initializer(new Pop3Settings(HOSTNAME, "pop3-strict", idleTimeout, false),
                store, auth, executor, Pop3Harness::startTls, new MaildropLocks(), throttle), null);
        server.bind("pop3s", any, new Pop3Initializer(new Pop3Settings(HOSTNAME, "pop3s", idleTimeout, false),
                store, auth, executor, Pop3Harness::startTls, locks, throttle), ch -> TLS.newHandler(ch.alloc()));
    }

    /** The STLS handler: its first write (the "+OK Begin TLS negotiation") passes in the clear. */
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

    Path dir() { return dir; }

    org.mailroom.core.store.MailStore store() { return store; }

    NetServer server() { return server; }

    InetSocketAddress address(String listener) {
        for (Listener l : server.listeners()) if (l.name().equals(listener)) return l.boundAddresses().get(0);
        throw new IllegalArgumentException("no listener " + listener);
    }

    void addUser(String address, String password) {
        try {
            Optional<Account> a = accounts.find(address);
            if (a.isPresent()) accounts.setPassword(address, password.toCharArray());
            else accounts.add(address, password.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Delivers a message the way the MDA does (tmp, fsync, rename into new/). */
    void deliver(String account, byte[] message) throws IOException {
        ContentBuffer content = new ContentBuffer(dir.resolve("spool"), 1 << 20);
        content.append(message);
        StoreDelivery d = store.newDelivery();
        try {
            d.addRecipient(account);
            d.write(content);
            d.commit();
        } catch (IOException | RuntimeException e) {
            d.abort();
            throw e;
        } finally {
            content.discard();
        }
    }

    void deliverResource(String account, String name) throws IOException {
        try (var in = Pop3Harness.class.getResourceAsStream("/mail/" + name)) {
            if (in == null) throw new IOException("no test message " + name);
            deliver(account, in.readAllBytes());
        }
    }

    /** Files in the account's Maildir ({@code cur} and {@code new}). */
    long messageFiles(String account) throws IOException {
        String local = account.substring(0, account.indexOf('@'));
        String domain = account.substring(account.indexOf('@') + 1);
        Path md = dir.resolve("mail").resolve(domain).resolve(local);
        long n = 0;
        for (String sub : new String[] {"cur", "new"}) {
            Path d = md.resolve(sub);
            if (!Files.isDirectory(d)) continue;
            try (var s = Files.list(d)) {
                n += s.count();
            }
        }
        return n;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
        server.close();
        executor.close();
    }
}
