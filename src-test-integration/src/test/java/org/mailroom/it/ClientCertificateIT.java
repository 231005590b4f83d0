package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.test.TestPki;

/**
 * Issue "Submission" 4 through the real daemon (its own TlsContexts with {@code tls.clientCa}): a
 * client certificate signed by the configured CA logs in with SASL EXTERNAL and may relay; one from
 * another CA gets no privilege, and the password still works.
 */
class ClientCertificateIT {
    private static final String ALICE = "alice@example.test";

    @TempDir
    Path dir;
    MailroomProcess mailroom;
    TestPki trustedCa;
    TestPki otherCa;

    @BeforeEach
    void start() throws Exception {
        trustedCa = TestPki.ca("CN=Mailroom test users CA");
        otherCa = TestPki.ca("CN=Somebody else's CA");
        Path ca = trustedCa.writeCertificate(dir.resolve("client-ca.pem"));
        mailroom = new MailroomProcess(dir, "tls.clientCa = " + ca, "relay.networks =",
                "transport.remote.example = [127.0.0.1]:" + MailroomProcess.freePort());
        mailroom.addUser(ALICE, "alice-secret");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    /** One SMTP session over implicit TLS (submissions) presenting {@code identity}. */
    private final class Session implements AutoCloseable {
        final SSLSocket socket;
        final BufferedReader in;
        final OutputStream out;
        String all;

        Session(TestPki identity) throws Exception {
            socket = (SSLSocket) TestPki.clientContext(identity).getSocketFactory()
                    .createSocket("127.0.0.1", mailroom.port("submissions"));
            socket.setSoTimeout(15_000);
            socket.startHandshake();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            reply();
        }

        String command(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply();
        }

        private String reply() throws Exception {
            StringBuilder sb = new StringBuilder();
            for (String l; (l = in.readLine()) != null; ) {
                sb.append(l).append('\n');
                if (l.length() < 4 || l.charAt(3) != '-') {
                    all = sb.toString();
                    return l;
                }
            }
            throw new AssertionError("closed after " + sb);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    @Test
    void trustedCertificateLogsInWithExternalAndRelays() throws Exception {
        try (Session s = new Session(trustedCa.client("CN=Alice", ALICE))) {
            s.command("EHLO laptop.example");
            assertTrue(s.all.contains("EXTERNAL"), s.all);
            String r = s.command("AUTH EXTERNAL =");
            assertTrue(r.startsWith("235 2.7.0"), r);
            assertTrue(s.command("MAIL FROM:<" + ALICE + ">").startsWith("250"));
            r = s.command("RCPT TO:<friend@remote.example>");
            assertTrue(r.startsWith("250"), "relaying permitted by the certificate: " + r);
        }
        assertTrue(mailroom.log().contains("user=<" + ALICE + ">, service=submissions"), mailroom.log());
    }

    @Test
    void certificateFromAnotherCaGetsNoPrivilegeButThePasswordWorks() throws Exception {
        try (Session s = new Session(otherCa.client("CN=Alice", ALICE))) {
            s.command("EHLO laptop.example");
            assertFalse(s.all.contains("EXTERNAL"), s.all);
            String r = s.command("AUTH EXTERNAL =");
            assertTrue(r.startsWith("535"), r);
            String plain = Base64.getEncoder().encodeToString(("\0" + ALICE + "\0alice-secret").getBytes(StandardCharsets.UTF_8));
            r = s.command("AUTH PLAIN " + plain);
            assertTrue(r.startsWith("235"), r);
        }
        try (Session s = new Session(null)) { // and without any certificate EXTERNAL is not offered
            s.command("EHLO laptop.example");
            assertFalse(s.all.contains("EXTERNAL"), s.all);
        }
    }
}
