package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Path;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP login end to end: Angus Mail's IMAPStore against the real daemon, over imaps (implicit TLS,
 * RFC 8314) and over imap with STARTTLS (RFC 9051 6.2.1), with AUTHENTICATE PLAIN and with the LOGIN
 * command. Passwords in the clear are switched off even from loopback here, so on the imap port the
 * only way in is through STARTTLS.
 */
class ImapLoginIT {
    private static final String ALICE = "alice@example.test";
    private static final String PASSWORD = "alice-imap-secret";

    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir, "auth.plaintextOnLoopback = false");
        mailroom.addUser(ALICE, PASSWORD);
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    private Store store(boolean implicitTls, boolean loginCommand) throws MessagingException {
        String proto = implicitTls ? "imaps" : "imap";
        Properties p = new Properties();
        p.put("mail." + proto + ".host", "127.0.0.1");
        p.put("mail." + proto + ".port", String.valueOf(mailroom.port(proto)));
        p.put("mail." + proto + ".ssl.trust", "*"); // the daemon's self-signed certificate
        p.put("mail." + proto + ".ssl.checkserveridentity", "false");
        p.put("mail." + proto + ".timeout", "20000");
        p.put("mail." + proto + ".connectiontimeout", "20000");
        if (loginCommand) p.put("mail." + proto + ".auth.plain.disable", "true"); // LOGIN, not AUTHENTICATE
        if (implicitTls) {
            p.put("mail.imaps.ssl.enable", "true");
        } else {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        return Session.getInstance(p).getStore(proto);
    }

    private void logInAndOut(boolean implicitTls, boolean loginCommand) throws Exception {
        Store s = store(implicitTls, loginCommand);
        s.connect(ALICE, PASSWORD);
        assertTrue(s.isConnected());
        IMAPStore imap = (IMAPStore) s;
        assertTrue(imap.hasCapability("IMAP4rev2"), "the capabilities after login");
        assertTrue(imap.hasCapability("IDLE"));
        assertFalse(imap.hasCapability("LOGINDISABLED"));
        s.close();
        assertFalse(s.isConnected());
    }

    @Test
    void implicitTlsWithAuthenticatePlainAndWithLogin() throws Exception {
        logInAndOut(true, false);
        logInAndOut(true, true);
        String log = mailroom.log();
        assertTrue(log.contains("imaps: login user=<" + ALICE + ">, client=[127.0.0.1], mechanism=PLAIN, tls=yes, result=ok"), log);
        assertTrue(log.contains("imaps: login user=<" + ALICE + ">, client=[127.0.0.1], mechanism=LOGIN, tls=yes, result=ok"), log);
        assertTrue(log.contains("imaps: user=<" + ALICE + ">, client=[127.0.0.1]"), log);
        assertFalse(log.contains(PASSWORD), "no password in the log");
    }

    @Test
    void starttlsWithAuthenticatePlainAndWithLogin() throws Exception {
        logInAndOut(false, false);
        logInAndOut(false, true);
        assertTrue(mailroom.log().contains("imap: login user=<" + ALICE + ">, client=[127.0.0.1], mechanism=LOGIN, tls=yes, result=ok"));
    }

    @Test
    void wrongPasswordIsRefused() throws Exception {
        Store s = store(true, false);
        assertThrows(AuthenticationFailedException.class, () -> s.connect(ALICE, "not-the-password"));
        assertTrue(mailroom.log().contains("result=failed"));
    }
}
