package org.mailroom.smtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mailroom.config.ListenAddress;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.net.Listener;
import org.mailroom.core.net.NetServer;
import org.mailroom.core.test.TestPki;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.tls.ClientCertificates;

/**
 * SASL EXTERNAL with a TLS client certificate (RFC 4422 appendix A, issue "Submission" 4): a
 * submissions (implicit TLS) listener whose {@code tls.clientCa} is a CA made here, and JDK
 * clients presenting a certificate from that CA, one from another CA, or none.
 */
class ExternalAuthTest {
    private static final String ALICE = "alice@example.test";

    private static TestPki trustedCa;
    private static TestPki otherCa;
    private static TestPki aliceTrusted;
    private static TestPki aliceOther;
    private static final BlockingExecutor executor = new BlockingExecutor(2, 100);
    private static final NetServer net = new NetServer(50, 50, 1);
    private static InetSocketAddress address;

    /** A key pair and its certificate. */

    @BeforeAll
    static void start() throws Exception {
        trustedCa = TestPki.ca("CN=Trusted Client CA");
        otherCa = TestPki.ca("CN=Other Client CA");
        aliceTrusted = trustedCa.client("CN=Alice", ALICE);
        aliceOther = otherCa.client("CN=Alice", ALICE);

        Path dir = Files.createTempDirectory("external-auth");
        PropertiesAccountStore accounts = new PropertiesAccountStore(dir.resolve("users.properties"), new PasswordHasher());
        accounts.add(ALICE, "secret".toCharArray());
        ClientCertificates clients = ClientCertificates.of(trustedCa.cert());
        SelfSignedCertificate server = new SelfSignedCertificate(TestServer.HOST);
        // as TlsContexts builds it with tls.clientCa set
        SslContext tls = SslContextBuilder.forServer(server.certificate(), server.privateKey())
                .clientAuth(ClientAuth.OPTIONAL).trustManager(clients.handshakeTrustManager()).build();
        MessageSink relayWhenAuthenticated = new MessageSink() { // the daemon's relayAllowed predicate
            @Override
            public Outcome checkRecipient(SessionInfo session, String reversePath, String recipient) {
                return session.authUser() != null ? Outcome.ok("2.1.5", "Ok")
                        : new Outcome(550, "5.7.1", "Relay access denied");
            }

            @Override
            public Outcome accept(Envelope envelope, MessageContent content) {
                return Outcome.ok("2.0.0", "Ok");
            }
        };
        SmtpSettings settings = new SmtpSettings(TestServer.HOST, "submissions", 10_000, 10, 1000, 10,
                Duration.ofSeconds(30), dir).withAuth(true, true, false);
        Listener l = net.bind("submissions", List.of(new ListenAddress("127.0.0.1", 0)),
                new SmtpInitializer(settings, relayWhenAuthenticated, executor, null,
                        new Authenticator(accounts, "example.test"), new AuthThrottle(), clients),
                ch -> tls.newHandler(ch.alloc()));
        address = l.boundAddresses().get(0);
    }

    @AfterAll
    static void stop() {
        net.shutdown(Duration.ofSeconds(2));
        net.close();
        executor.close();
    }

    @Test
    void trustedCertificateLogsInWithExternalAndMayRelay() throws Exception {
        try (Client c = new Client(aliceTrusted)) {
            assertTrue(c.ehlo().contains("250 AUTH SCRAM-SHA-256 PLAIN LOGIN EXTERNAL\n"), c.lastReply);
            assertEquals("530", c.command("MAIL FROM:<alice@example.test>").substring(0, 3)); // not yet
            assertEquals("235 2.7.0", c.command("AUTH EXTERNAL =").substring(0, 9));
            assertEquals("250", c.command("MAIL FROM:<alice@example.test>").substring(0, 3));
            assertEquals("250", c.command("RCPT TO:<bob@elsewhere.test>").substring(0, 3)); // relayed
        }
    }

    @Test
    void externalWithTheMappedAuthzidSucceedsAnyOtherFails() throws Exception {
        try (Client c = new Client(aliceTrusted)) {
            c.ehlo();
            assertEquals("535 5.7.8", c.command("AUTH EXTERNAL " + b64("bob@example.test")).substring(0, 9));
            assertEquals("235 2.7.0", c.command("AUTH EXTERNAL " + b64("Alice@Example.test")).substring(0, 9));
        }
        try (Client c = new Client(aliceTrusted)) { // no initial response: an empty challenge first
            c.ehlo();
            assertEquals("334 ", c.command("AUTH EXTERNAL"));
            assertEquals("235 2.7.0", c.command("").substring(0, 9));
        }
    }

    @Test
    void certificateFromAnotherCaGetsNoExternalButPasswordsWork() throws Exception {
        try (Client c = new Client(aliceOther)) {
            String ehlo = c.ehlo();
            assertTrue(ehlo.contains("250 AUTH SCRAM-SHA-256 PLAIN LOGIN\n"), ehlo);
            assertFalse(ehlo.contains("EXTERNAL"), ehlo);
            assertEquals("535 5.7.8", c.command("AUTH EXTERNAL =").substring(0, 9));
            assertEquals("235 2.7.0", c.command("AUTH PLAIN " + b64("\0" + ALICE + "\0secret")).substring(0, 9));
            assertEquals("250", c.command("MAIL FROM:<alice@example.test>").substring(0, 3));
        }
    }

    @Test
    void noCertificateNoExternal() throws Exception {
        try (Client c = new Client(null)) {
            String ehlo = c.ehlo();
            assertFalse(ehlo.contains("EXTERNAL"), ehlo);
            assertEquals("535 5.7.8", c.command("AUTH EXTERNAL =").substring(0, 9));
        }
    }

    // ---- the client ---------------------------------------------------------------------------

    private static final class Client implements AutoCloseable {
        final SSLSocket socket;
        final BufferedReader in;
        final OutputStream out;
        String lastReply;

        /** @param identity the client certificate to present whatever CAs the server names; null: none */
        Client(TestPki identity) throws Exception {
            SSLContext ctx = TestPki.clientContext(identity);
            Socket plain = new Socket();
            plain.connect(address, 5000);
            socket = (SSLSocket) ctx.getSocketFactory().createSocket(plain, TestServer.HOST, address.getPort(), true);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            reply(); // 220
        }

        String ehlo() throws Exception {
            command("EHLO client.test");
            return lastReply;
        }

        /** Sends one line; returns the last line of the reply, keeps all of it in lastReply. */
        String command(String line) throws Exception {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply();
        }

        private String reply() throws Exception {
            StringBuilder all = new StringBuilder();
            for (String l; (l = in.readLine()) != null; ) {
                all.append(l).append('\n');
                if (l.length() < 4 || l.charAt(3) != '-') {
                    lastReply = all.toString();
                    return l;
                }
            }
            throw new AssertionError("closed after " + all);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }



    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
