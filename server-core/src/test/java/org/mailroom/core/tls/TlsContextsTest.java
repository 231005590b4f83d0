package org.mailroom.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Keys;

class TlsContextsTest {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static KeyPair rsaCa;
    private static KeyPair rsaLeaf;
    private static KeyPair ecLeaf;
    private static KeyPair ecOther;

    @TempDir Path configDir;
    @TempDir Path dataDir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        rsaCa = rsa.generateKeyPair();
        rsaLeaf = rsa.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        ecLeaf = ec.generateKeyPair();
        ecOther = ec.generateKeyPair();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static X509Certificate cert(KeyPair subject, String cn, KeyPair issuer, String issuerCn, boolean ca)
            throws Exception {
        String sigAlg = issuer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(90))), new X500Name("CN=" + cn), subject.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!ca) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, cn)));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(sigAlg).build(issuer.getPrivate())));
    }

    private static X509Certificate selfSigned(KeyPair kp, String cn) throws Exception {
        return cert(kp, cn, kp, cn, false);
    }

    private static String pem(Object... objects) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            for (Object o : objects) w.writeObject(o);
        }
        return sw.toString();
    }

    private static String pkcs8(KeyPair kp) throws IOException {
        return pem(new JcaPKCS8Generator(kp.getPrivate(), null));
    }

    private Config config(String cert, String key) {
        return Config.defaults(configDir).with(Keys.TLS_CERT, cert).with(Keys.TLS_KEY, key);
    }

    private Path write(String name, String text) throws IOException {
        Path p = configDir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    private TlsContexts loadFiles(String certPem, String keyPem) throws Exception {
        Path c = write("cert.pem", certPem);
        Path k = write("key.pem", keyPem);
        return TlsContexts.load(config(c.toString(), k.toString()), dataDir, "mail.example.org");
    }

    private static List<String> dnsNames(X509Certificate c) throws Exception {
        Collection<List<?>> san = c.getSubjectAlternativeNames();
        return san.stream().filter(e -> (Integer) e.get(0) == GeneralName.dNSName).map(e -> (String) e.get(1)).toList();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    // ---- self-signed ------------------------------------------------------------------------

    @Test
    void selfSignedIsMadeOnFirstLoadAndReusedAfter() throws Exception {
        TlsContexts first = TlsContexts.load(Config.defaults(configDir), dataDir, "mail.example.org");
        Path dir = dataDir.resolve("tls");
        Path keyFile = dir.resolve("selfsigned-key.pem");
        Path certFile = dir.resolve("selfsigned-cert.pem");
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(keyFile));
        assertTrue(Files.readString(keyFile).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(certFile).startsWith("-----BEGIN CERTIFICATE-----"));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left");
        }

        X509Certificate c = first.certificate();
        assertEquals("CN=mail.example.org", c.getSubjectX500Principal().getName());
        assertEquals(List.of("mail.example.org", "localhost"), dnsNames(c));
        assertEquals("EC", c.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        Duration validity = Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650 && validity.toDays() <= 3651, validity.toString());
        c.checkValidity();

        TlsContexts second = TlsContexts.load(Config.defaults(configDir), dataDir, "other.example.org");
        assertEquals(c, second.certificate(), "the existing pair is reused, not remade");
    }

    @Test
    void selfSignedForLocalhostHasTheNameOnce() throws Exception {
        TlsContexts t = TlsContexts.load(Config.defaults(configDir), dataDir, "");
        assertEquals(List.of("localhost"), dnsNames(t.certificate()));
    }

    // ---- PEM files ----------------------------------------------------------------------------

    @Test
    void rsaPkcs1KeyWithFullChainAtRelativePaths() throws Exception {
        X509Certificate ca = cert(rsaCa, "Test CA", rsaCa, "Test CA", true);
        X509Certificate leaf = cert(rsaLeaf, "mail.example.org", rsaCa, "Test CA", false);
        String keyPem = pem(rsaLeaf.getPrivate());
        assertTrue(keyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----"), keyPem);
        write("live/fullchain.pem", pem(leaf, ca));
        write("live/privkey.pem", keyPem);

        TlsContexts t = TlsContexts.load(config("live/fullchain.pem", "live/privkey.pem"), dataDir, "ignored");
        assertEquals(leaf, t.certificate());
        assertTrue(Files.notExists(dataDir.resolve("tls")), "no self-signed pair when files are configured");
    }

    @Test
    void ecPkcs8Key() throws Exception {
        String keyPem = pkcs8(ecLeaf);
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), keyPem);
        X509Certificate leaf = selfSigned(ecLeaf, "mail.example.org");
        assertEquals(leaf, loadFiles(pem(leaf), keyPem).certificate());
    }

    /**
     * A SEC1 key as {@code openssl ecparam -genkey} writes it (RFC 5915 3: version, key, curve
     * OID, public key). BC's own PEM writer cannot be used here: for a JDK key it leaves out the
     * curve, which no reader can use.
     */
    private static String sec1(KeyPair kp, boolean withPublicKey) throws IOException {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        BigInteger d = ((java.security.interfaces.ECPrivateKey) kp.getPrivate()).getS();
        ASN1Encodable curve = spki.getAlgorithm().getParameters();
        ECPrivateKey sec1 = withPublicKey
                ? new ECPrivateKey(256, d, spki.getPublicKeyData(), curve)
                : new ECPrivateKey(256, d, curve);
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    @Test
    void ecSec1KeyAsOpensslWritesIt() throws Exception {
        // openssl ecparam -name prime256v1 -genkey: an "EC PARAMETERS" block first
        String keyPem = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + sec1(ecLeaf, true);
        X509Certificate leaf = selfSigned(ecLeaf, "mail.example.org");
        assertEquals(leaf, loadFiles(pem(leaf), keyPem).certificate());
    }

    @Test
    void ecSec1KeyWithoutItsOptionalPublicKey() throws Exception {
        X509Certificate leaf = selfSigned(ecLeaf, "mail.example.org");
        assertEquals(leaf, loadFiles(pem(leaf), sec1(ecLeaf, false)).certificate());
        assertEquals("tls.key", loadFails(pem(leaf), sec1(ecOther, false)).key());
    }

    @Test
    void rsaPkcs8Key() throws Exception {
        X509Certificate leaf = selfSigned(rsaLeaf, "mail.example.org");
        assertEquals(leaf, loadFiles(pem(leaf), pkcs8(rsaLeaf)).certificate());
    }

    // ---- errors -------------------------------------------------------------------------------

    private ConfigError loadFails(String certPem, String keyPem) {
        return assertThrows(ConfigError.class, () -> loadFiles(certPem, keyPem));
    }

    @Test
    void keyOfAnotherCertificateIsRejectedNamingTlsKey() throws Exception {
        ConfigError e = loadFails(pem(selfSigned(ecLeaf, "a")), pkcs8(ecOther));
        assertEquals("tls.key", e.key());
        assertEquals(configDir.resolve("key.pem"), e.file());
        assertEquals(0, e.line());
        assertTrue(e.getMessage().contains("does not match"), e.oneLine());
    }

    @Test
    void keyOfAnotherTypeIsRejectedNamingTlsKey() throws Exception {
        ConfigError e = loadFails(pem(selfSigned(ecLeaf, "a")), pem(rsaLeaf.getPrivate()));
        assertEquals("tls.key", e.key());
        assertTrue(e.getMessage().contains("does not match"), e.oneLine());
    }

    @Test
    void keyOfTheCaInsteadOfTheLeafIsRejected() throws Exception {
        X509Certificate ca = cert(rsaCa, "Test CA", rsaCa, "Test CA", true);
        X509Certificate leaf = cert(rsaLeaf, "mail.example.org", rsaCa, "Test CA", false);
        assertEquals("tls.key", loadFails(pem(leaf, ca), pem(rsaCa.getPrivate())).key());
    }

    @Test
    void onlyOneOfCertAndKeySet() {
        ConfigError noKey = assertThrows(ConfigError.class,
                () -> TlsContexts.load(config("cert.pem", ""), dataDir, "h"));
        assertEquals("tls.key", noKey.key());
        ConfigError noCert = assertThrows(ConfigError.class,
                () -> TlsContexts.load(config("", "key.pem"), dataDir, "h"));
        assertEquals("tls.cert", noCert.key());
    }

    @Test
    void missingFiles() throws Exception {
        ConfigError e = assertThrows(ConfigError.class,
                () -> TlsContexts.load(config("nope.pem", "nokey.pem"), dataDir, "h"));
        assertEquals("tls.cert", e.key());
        assertEquals(configDir.resolve("nope.pem"), e.file());
        assertTrue(e.oneLine().endsWith("nope.pem: tls.cert: no such file"), e.oneLine());

        write("cert.pem", pem(selfSigned(ecLeaf, "a")));
        ConfigError k = assertThrows(ConfigError.class,
                () -> TlsContexts.load(config("cert.pem", "nokey.pem"), dataDir, "h"));
        assertEquals("tls.key", k.key());
    }

    @Test
    void filesWithoutCertificateOrKey() throws Exception {
        X509Certificate leaf = selfSigned(ecLeaf, "a");
        ConfigError noCert = loadFails("not a certificate\n", pkcs8(ecLeaf));
        assertEquals("tls.cert", noCert.key());
        assertTrue(noCert.getMessage().startsWith("no certificate"), noCert.oneLine());
        ConfigError certAsKey = loadFails(pem(leaf), pem(leaf));
        assertEquals("tls.key", certAsKey.key());
        assertTrue(certAsKey.getMessage().startsWith("no private key"), certAsKey.oneLine());
        ConfigError broken = loadFails(pem(leaf), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertEquals("tls.key", broken.key());
    }

    // ---- reload -------------------------------------------------------------------------------

    private static void touch(Path p, int secondsAhead) throws IOException {
        // Renewals happen minutes apart; make the mtime change visible whatever the clock tick.
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
    }

    @Test
    void reloadPicksUpRenewalAndKeepsOldIdentityOnBadFiles() throws Exception {
        X509Certificate a = selfSigned(ecLeaf, "a.example");
        TlsContexts t = loadFiles(pem(a), pkcs8(ecLeaf));
        t.reloadIfChanged();
        assertEquals(a, t.certificate(), "unchanged files: nothing to do");

        X509Certificate b = selfSigned(rsaLeaf, "b.example");
        touch(write("cert.pem", pem(b)), 10);
        touch(write("key.pem", pem(rsaLeaf.getPrivate())), 10);
        t.reloadIfChanged();
        assertEquals(b, t.certificate());

        // Half a renewal: the new certificate is there, its key not yet.
        X509Certificate c = selfSigned(ecOther, "c.example");
        touch(write("cert.pem", pem(c)), 20);
        t.reloadIfChanged();
        assertEquals(b, t.certificate(), "mismatch: the previous identity stays");
        handshake(t, "TLSv1.3", false, s -> {}); // still serving with b

        touch(write("key.pem", pkcs8(ecOther)), 30);
        t.reloadIfChanged();
        assertEquals(c, t.certificate());

        Files.delete(configDir.resolve("cert.pem"));
        t.reloadIfChanged();
        assertEquals(c, t.certificate(), "a vanished file keeps the identity too");
    }

    // ---- handshake ------------------------------------------------------------------------------

    /** A loopback echo server over Netty with a handler from {@code tls}; closed with the result. */
    private static final class EchoServer implements AutoCloseable {
        final EventLoopGroup group = new NioEventLoopGroup(1);
        final Channel channel;

        EchoServer(TlsContexts tls, boolean startTls) throws InterruptedException {
            channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (!startTls) ch.pipeline().addLast(tls.newServerHandler(ch, false));
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    if (startTls) {
                                        // as a session does after STLS: handler first, then "go ahead"
                                        ctx.pipeline().addFirst(tls.newServerHandler(ctx.channel(), true));
                                        ctx.writeAndFlush(Unpooled.copiedBuffer("+OK begin TLS\r\n", StandardCharsets.US_ASCII));
                                    }
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ctx.writeAndFlush(msg);
                                }
                            });
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
        }

        int port() { return ((InetSocketAddress) channel.localAddress()).getPort(); }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A client that trusts exactly the server's certificate and checks the name "localhost" or the CN. */
    private static SSLContext clientTrusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("server", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Connects to a fresh echo server, shakes hands with {@code protocol} only, echoes a line and
     * runs {@code check} on the open socket.
     */
    private static void handshake(TlsContexts tls, String protocol, boolean startTls,
                                  Consumer<SSLSocket> check) throws Exception {
        String host = hostNameOf(tls.certificate());
        try (EchoServer server = new EchoServer(tls, startTls);
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            plain.setSoTimeout(10_000);
            if (startTls) {
                BufferedReader r = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
                assertEquals("+OK begin TLS", r.readLine(), "the go-ahead passes in the clear");
            }
            SSLSocket s = (SSLSocket) clientTrusting(tls.certificate()).getSocketFactory()
                    .createSocket(plain, host, server.port(), true);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 6125 name check, as mail clients do
            p.setProtocols(new String[] {protocol});
            s.setSSLParameters(p);
            s.startHandshake();
            assertEquals(protocol, s.getSession().getProtocol());
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            assertEquals("ping\n", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
            check.accept(s);
            s.close();
        }
    }

    private static String hostNameOf(X509Certificate c) throws Exception {
        return dnsNames(c).contains("localhost") ? "localhost" : dnsNames(c).get(0);
    }

    @Test
    void implicitTlsHandshakeIsTls13WithSelfSignedCertificate() throws Exception {
        TlsContexts t = TlsContexts.load(Config.defaults(configDir), dataDir, "mail.example.org");
        // TLS 1.3 suites are named without key exchange: TLS_AES_128_GCM_SHA256 ...
        handshake(t, "TLSv1.3", false, s -> assertTrue(!s.getSession().getCipherSuite().contains("_WITH_"),
                s.getSession().getCipherSuite()));
    }

    @Test
    void tls12IsStillOffered() throws Exception {
        TlsContexts t = TlsContexts.load(Config.defaults(configDir), dataDir, "mail.example.org");
        handshake(t, "TLSv1.2", false, s -> {}); // older clients (Outlook 2016, old Android) speak 1.2
    }

    @Test
    void startTlsLetsTheGoAheadPassInTheClear() throws Exception {
        TlsContexts t = TlsContexts.load(Config.defaults(configDir), dataDir, "mail.example.org");
        handshake(t, "TLSv1.3", true, s -> {}); // go-ahead read in the clear, then handshake and echo
    }

    @Test
    void rsaChainHandshake() throws Exception {
        X509Certificate ca = cert(rsaCa, "Test CA", rsaCa, "Test CA", true);
        X509Certificate leaf = cert(rsaLeaf, "localhost", rsaCa, "Test CA", false);
        TlsContexts t = loadFiles(pem(leaf, ca), pem(rsaLeaf.getPrivate()));
        handshake(t, "TLSv1.3", false, s -> {
            try {
                assertEquals(2, s.getSession().getPeerCertificates().length, "the whole chain is sent");
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                throw new AssertionError(e);
            }
        });
        assertNotEquals(ca, t.certificate());
    }
}
