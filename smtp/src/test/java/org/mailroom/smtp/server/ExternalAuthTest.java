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
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
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

    private static Pki trustedCa;
    private static Pki otherCa;
    private static Pki aliceTrusted;
    private static Pki aliceOther;
    private static final BlockingExecutor executor = new BlockingExecutor(2, 100);
    private static final NetServer net = new NetServer(50, 50, 1);
    private static InetSocketAddress address;

    /** A key pair and its certificate. */
    private record Pki(KeyPair keys, X509Certificate cert) {}

    @BeforeAll
    static void start() throws Exception {
        trustedCa = ca("CN=Trusted Client CA");
        otherCa = ca("CN=Other Client CA");
        aliceTrusted = leaf("CN=Alice", ALICE, trustedCa);
        aliceOther = leaf("CN=Alice", ALICE, otherCa);

        Path dir = Files.createTempDirectory("external-auth");
        PropertiesAccountStore accounts = new PropertiesAccountStore(dir.resolve("users.properties"), new PasswordHasher());
        accounts.add(ALICE, "secret".toCharArray());
        ClientCertificates clients = ClientCertificates.of(trustedCa.cert);
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
        Client(Pki identity) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            KeyManager[] km = identity == null ? new KeyManager[0] : new KeyManager[] {new FixedKeyManager(identity)};
            ctx.init(km, new TrustManager[] {new TrustAll()}, null);
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

    /** Presents one certificate even when the server names other CAs, so verification is tested. */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final Pki identity;

        FixedKeyManager(Pki identity) { this.identity = identity; }

        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket s) { return "me"; }
        @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) { return "me"; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return new X509Certificate[] {identity.cert}; }
        @Override public PrivateKey getPrivateKey(String alias) { return identity.keys.getPrivate(); }
        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"me"}; }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) { return null; }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    // ---- certificates -------------------------------------------------------------------------

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static Pki ca(String dn) throws Exception {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name(dn);
        JcaX509v3CertificateBuilder b = builder(name, name, keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Pki(keys, sign(b, keys.getPrivate()));
    }

    private static Pki leaf(String dn, String email, Pki issuer) throws Exception {
        KeyPair keys = ecKeys();
        JcaX509v3CertificateBuilder b = builder(
                X500Name.getInstance(issuer.cert.getSubjectX500Principal().getEncoded()), new X500Name(dn), keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        return new Pki(keys, sign(b, issuer.keys.getPrivate()));
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
