package org.mailroom.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Config load(String text) throws Exception {
        Files.writeString(dir.resolve("mailroom.properties"), text);
        return ConfigLoader.load(dir);
    }

    private String error(String text) throws Exception {
        Files.writeString(dir.resolve("mailroom.properties"), text);
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(dir));
        return e.oneLine().replace(dir.toString(), "DIR");
    }

    @Test
    void missingFileMeansEmbeddedDefaults() throws Exception {
        Config c = ConfigLoader.load(dir);
        assertEquals(List.of(new ListenAddress("127.0.0.1", 10025)), c.get(Keys.SMTP_LISTEN));
        assertEquals(List.of(new ListenAddress("127.0.0.1", 10110)), c.get(Keys.POP3_LISTEN));
        assertEquals(List.of(new ListenAddress("127.0.0.1", 10995)), c.get(Keys.POP3S_LISTEN));
        assertEquals(List.of("localhost"), c.get(Keys.DOMAINS));
        assertEquals(25L << 20, c.get(Keys.SMTP_MAX_MESSAGE_SIZE));
        assertEquals(Duration.ofMinutes(5), c.get(Keys.SMTP_IDLE_TIMEOUT));
    }

    @Test
    void valuesOfEveryType() throws Exception {
        Config c = load("""
                # comment
                ! another comment
                domains = Example.ORG, example.net
                smtp.listen = *:25, [::1]:2525
                pop3.listen =
                smtp.maxMessageSize: 10M
                smtp.idleTimeout 90s
                auth.plaintextOnLoopback = no
                hostname = mail.example.org
                shutdown.grace = 1500ms
                data.dir = /var/lib/mail\\
                room
                """);
        assertEquals(List.of("example.org", "example.net"), c.get(Keys.DOMAINS));
        assertEquals(List.of(new ListenAddress("*", 25), new ListenAddress("::1", 2525)), c.get(Keys.SMTP_LISTEN));
        assertEquals(List.of(), c.get(Keys.POP3_LISTEN), "an empty value switches the listener off");
        assertEquals(10L << 20, c.get(Keys.SMTP_MAX_MESSAGE_SIZE));
        assertEquals(Duration.ofSeconds(90), c.get(Keys.SMTP_IDLE_TIMEOUT));
        assertEquals(false, c.get(Keys.AUTH_PLAINTEXT_ON_LOOPBACK));
        assertEquals(Duration.ofMillis(1500), c.get(Keys.SHUTDOWN_GRACE));
        assertEquals("/var/lib/mailroom", c.get(Keys.DATA_DIR));
    }

    /** Golden one-line errors: file, line, key, reason. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "smtp.listn = *:25                   | DIR/mailroom.properties:1: smtp.listn: unknown key (did you mean smtp.listen?)",
        "smtp.listen = localhost             | DIR/mailroom.properties:1: smtp.listen: bad address \"localhost\" (expected host:port)",
        "smtp.listen = 1.2.3.4:70000         | DIR/mailroom.properties:1: smtp.listen: port out of range in \"1.2.3.4:70000\"",
        "smtp.maxRecipients = 0              | DIR/mailroom.properties:1: smtp.maxRecipients: 0 is out of range 1..100000",
        "smtp.maxRecipients = many           | DIR/mailroom.properties:1: smtp.maxRecipients: not a number: \"many\"",
        "smtp.maxMessageSize = 10Q           | DIR/mailroom.properties:1: smtp.maxMessageSize: bad size \"10Q\" (e.g. 25M, 512k, 1000)",
        "smtp.idleTimeout = soon             | DIR/mailroom.properties:1: smtp.idleTimeout: bad duration \"soon\" (e.g. 250ms, 30s, 5m, 1h)",
        "auth.plaintextOnLoopback = maybe    | DIR/mailroom.properties:1: auth.plaintextOnLoopback: expected true or false, not \"maybe\"",
        "domains = exa_mple.org              | DIR/mailroom.properties:1: domains: bad domain name \"exa_mple.org\"",
    })
    void errorsNameFileLineAndKey(String line, String expected) throws Exception {
        assertEquals(expected.trim(), error(line.trim() + "\n"));
    }

    @Test
    void errorLineNumberCountsCommentsAndDuplicatesAreErrors() throws Exception {
        assertEquals("DIR/mailroom.properties:4: smtp.maxErrors: not a number: \"x\"",
                error("# one\n\ndomains = a.example\nsmtp.maxErrors = x\n"));
        assertEquals("DIR/mailroom.properties:3: domains: given twice (first on line 1)",
                error("domains = a.example\n\ndomains = b.example\n"));
    }

    @Test
    void mailboxFormatGloballyAndPerAccount() throws Exception {
        Config c = load("""
                mailbox.format = mbox
                mailbox.format.Bob@Example.org = maildir
                """);
        assertEquals("mbox", c.get(Keys.MAILBOX_FORMAT));
        assertEquals("maildir", c.mailboxFormat("bob@example.ORG"));
        assertEquals("mbox", c.mailboxFormat("alice@example.org"));
        assertEquals("maildir", ConfigLoader.load(dir.resolve("none")).mailboxFormat("x@y"), "default");
        assertEquals("DIR/mailroom.properties:1: mailbox.format.bob: expected mailbox.format.<address> (local-part@domain)",
                error("mailbox.format.bob = mbox\n"));
        assertEquals("DIR/mailroom.properties:2: mailbox.format.a@b: expected one of maildir, mbox, not \"mdir\"",
                error("\nmailbox.format.a@b = mdir\n"));
    }
}
