package org.mailroom.core.test;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Socket;
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
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in tests with Bouncy Castle: a CA, and client certificates it signs with an
 * rfc822Name; PEM output for {@code tls.clientCa}; a client {@link SSLContext} that presents its
 * certificate whatever CAs the server names (so that the server's own verification is tested).
 */
public record TestPki(KeyPair keys, X509Certificate cert) {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public static TestPki ca(String dn) throws Exception {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name(dn);
        JcaX509v3CertificateBuilder b = builder(name, name, keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new TestPki(keys, sign(b, keys.getPrivate()));
    }

    /** A client certificate signed by this CA, with {@code email} as its SubjectAltName rfc822Name. */
    public TestPki client(String dn, String email) throws Exception {
        KeyPair k = ecKeys();
        JcaX509v3CertificateBuilder b = builder(
                X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()), new X500Name(dn), k);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)));
        return new TestPki(k, sign(b, keys.getPrivate()));
    }

    /** Writes this certificate as PEM (e.g. a {@code tls.clientCa} file). */
    public Path writeCertificate(Path file) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
        return Files.writeString(file, w.toString());
    }

    /** A TLS client context presenting this certificate (or none when {@code identity} is null), trusting any server. */
    public static SSLContext clientContext(TestPki identity) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManager[] km = identity == null ? new KeyManager[0] : new KeyManager[] {new FixedKeyManager(identity)};
        ctx.init(km, new TrustManager[] {Transcript.TRUST_ALL}, null);
        return ctx;
    }

    private static KeyPair ecKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    /** Presents one certificate even when the server names other CAs. */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final TestPki identity;

        FixedKeyManager(TestPki identity) { this.identity = identity; }

        @Override public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket s) { return "me"; }
        @Override public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) { return "me"; }
        @Override public X509Certificate[] getCertificateChain(String alias) { return new X509Certificate[] {identity.cert}; }
        @Override public PrivateKey getPrivateKey(String alias) { return identity.keys.getPrivate(); }
        @Override public String[] getClientAliases(String keyType, Principal[] issuers) { return new String[] {"me"}; }
        @Override public String[] getServerAliases(String keyType, Principal[] issuers) { return null; }
        @Override public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) { return null; }
    }
}
