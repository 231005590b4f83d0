package org.mailroom.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class AuthenticatorTest {
    private static final PasswordHasher HASHER = new PasswordHasher(256, 1, 1);

    @TempDir Path dir;
    PropertiesAccountStore store;
    Authenticator auth;
    InetAddress loopback;
    Logger loginLogger;
    ListAppender<ILoggingEvent> lines;

    @BeforeEach
    void setUp() throws IOException {
        store = new PropertiesAccountStore(dir.resolve("users.properties"), HASHER);
        store.add("alice@example.org", "s3cret-pw".toCharArray());
        auth = new Authenticator(store, "Example.ORG");
        loopback = InetAddress.getByName("127.0.0.1");
        loginLogger = (Logger) LoggerFactory.getLogger("org.mailroom.login");
        lines = new ListAppender<>();
        lines.start();
        loginLogger.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        loginLogger.detachAppender(lines);
    }

    private List<String> logged() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void goodLoginReturnsAccountWipesPasswordAndLogsOk() {
        char[] pw = "s3cret-pw".toCharArray();
        Optional<Account> a = auth.authenticate("pop3", loopback, "alice@example.org", pw);
        assertEquals(Optional.of(new Account("alice@example.org")), a);
        assertTrue(new String(pw).chars().allMatch(c -> c == 0), "password wiped");
        assertEquals(List.of("user=<alice@example.org>, service=pop3, client=[127.0.0.1], result=ok"), logged());
        assertEquals("INFO", lines.list.get(0).getLevel().toString());
    }

    @Test
    void bareLoginIsQualifiedWithDefaultDomain() {
        assertTrue(auth.authenticate("imap", loopback, "Alice", "s3cret-pw".toCharArray()).isPresent());
        assertEquals(List.of("user=<alice@example.org>, service=imap, client=[127.0.0.1], result=ok"), logged());
    }

    @Test
    void wrongPasswordAndUnknownUserFailAlike() {
        char[] pw = "wrong".toCharArray();
        assertTrue(auth.authenticate("smtp", loopback, "alice", pw).isEmpty());
        assertTrue(new String(pw).chars().allMatch(c -> c == 0), "password wiped on failure too");
        assertTrue(auth.authenticate("smtp", loopback, "mallory@example.org", "s3cret-pw".toCharArray()).isEmpty());
        assertEquals(List.of(
                "user=<alice@example.org>, service=smtp, client=[127.0.0.1], result=failed",
                "user=<mallory@example.org>, service=smtp, client=[127.0.0.1], result=failed"), logged());
    }

    @Test
    void everyLoginLineIsAlsoCounted() throws IOException {
        org.mailroom.core.metrics.Metrics m = new org.mailroom.core.metrics.Metrics();
        Authenticator counted = new Authenticator(store, "example.org", m);
        counted.authenticate("pop3", loopback, "alice", "s3cret-pw".toCharArray());
        counted.authenticate("pop3", loopback, "alice", "wrong".toCharArray());
        counted.authenticate("imap", loopback, "alice", "wrong".toCharArray());
        counted.record("smtp", loopback, "alice", Optional.empty(), "failed (authorization identity refused)");
        assertEquals(1, m.value("mailroom_logins_total", "service", "pop3", "result", "ok"));
        assertEquals(1, m.value("mailroom_logins_total", "service", "pop3", "result", "failed"));
        assertEquals(1, m.value("mailroom_logins_total", "service", "imap", "result", "failed"));
        assertEquals(1, m.value("mailroom_logins_total", "service", "smtp", "result", "failed"));
        Path file = store.file();
        Files.delete(file);
        Files.createDirectory(file);
        counted.authenticate("imap", loopback, "alice", "s3cret-pw".toCharArray());
        assertEquals(1, m.value("mailroom_logins_total", "service", "imap", "result", "error"));
    }

    @Test
    void unreadableStoreIsAnErrorLoggedWithReason() throws IOException {
        Path file = store.file();
        Files.delete(file);
        Files.createDirectory(file); // reading a directory as the file fails with an IOException
        char[] pw = "s3cret-pw".toCharArray();
        assertTrue(auth.authenticate("pop3", loopback, "alice", pw).isEmpty());
        assertTrue(new String(pw).chars().allMatch(c -> c == 0));
        assertEquals(1, logged().size());
        assertTrue(logged().get(0).startsWith(
                "user=<alice@example.org>, service=pop3, client=[127.0.0.1], result=error ("), logged().get(0));
    }

    @Test
    void passwordAndControlCharactersNeverReachTheLog() {
        auth.authenticate("imap", loopback, "alice\r\nlogin: user=<forged>", "s3cret-pw".toCharArray());
        auth.authenticate("imap", loopback, "alice", "s3cret-pw".toCharArray());
        for (ILoggingEvent e : lines.list) {
            assertFalse(e.getFormattedMessage().contains("s3cret"), e.getFormattedMessage());
            assertFalse(e.getFormattedMessage().contains("\n"), e.getFormattedMessage());
        }
        assertEquals("user=<alice??login: user=<forged>@example.org>, service=imap, client=[127.0.0.1], result=failed",
                logged().get(0));
    }
}
