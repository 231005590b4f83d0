package org.mailroom.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Keys;

/** Verification against tls.clientCa and the certificate-to-address mapping. */
class ClientCertificatesTest {
    @TempDir
    Path configDir;
    @TempDir
    Path dataDir;

    private final KeyPair caKeys = ec();
    private final KeyPair otherCaKeys = ec();
    private final KeyPair leafKeys = ec();
    private final X509Certificate ca = cert(caKeys, "CN=CA", caKeys.getPublic(), "CN=CA", true, null, 0);
    private final X509Certificate otherCa = cert(otherCaKeys, "CN=CA", otherCaKeys.getPublic(), "CN=CA", true, null, 0);

    @Test
    void firstRfc822NameWinsOverTheSubjectEmailAddress() {
        X509Certificate c = cert(caKeys, "CN=CA", leafKeys.getPublic(),
                "CN=Alice,E=other@example.test", false, "Alice@Example.test", 0);
        assertEquals("alice@example.test", ClientCertificates.mailbox(c));
    }

    @Test
    void subjectEmailAddressWhenNoRfc822Name() {
        X509Certificate c = cert(caKeys, "CN=CA", leafKeys.getPublic(), "CN=Bob,E=bob@example.test", false, null, 0);
        assertEquals("bob@example.test", ClientCertificates.mailbox(c));
        assertNull(ClientCertificates.mailbox(cert(caKeys, "CN=CA", leafKeys.getPublic(), "CN=Nobody", false, null, 0)));
    }

    @Test
    void onlyChainsFromTheCaVerify() {
        ClientCertificates clients = ClientCertificates.of(ca);
        X509Certificate leaf = cert(caKeys, "CN=CA", leafKeys.getPublic(), "CN=Alice", false, "alice@example.test", 0);
        assertTrue(clients.verify(new X509Certificate[] {leaf}));
        assertTrue(clients.verify(new X509Certificate[] {leaf, ca})); // CA sent along
        // same issuer name, other key: the signature does not verify
        X509Certificate forged = cert(otherCaKeys, "CN=CA", leafKeys.getPublic(), "CN=Alice", false, "alice@example.test", 0);
        assertFalse(clients.verify(new X509Certificate[] {forged}));
        assertFalse(clients.verify(new X509Certificate[] {forged, otherCa}));
        assertFalse(clients.verify(new X509Certificate[] {ca})); // the CA itself is no client
        assertFalse(clients.verify(null));
        X509Certificate expired = cert(caKeys, "CN=CA", leafKeys.getPublic(), "CN=Alice", false, "alice@example.test", -3);
        assertFalse(clients.verify(new X509Certificate[] {expired}));
    }

    @Test
    void tlsContextsLoadTheCaFileOnlyWhenSet() throws Exception {
        assertNull(TlsContexts.load(Config.defaults(configDir), dataDir, "h").clientCertificates());
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(ca);
        }
        Files.writeString(configDir.resolve("clients-ca.pem"), sw.toString());
        TlsContexts t = TlsContexts.load(Config.defaults(configDir).with(Keys.TLS_CLIENT_CA, "clients-ca.pem"), dataDir, "h");
        assertNotNull(t.clientCertificates());
        ConfigError e = assertThrows(ConfigError.class, () -> TlsContexts.load(
                Config.defaults(configDir).with(Keys.TLS_CLIENT_CA, "missing.pem"), dataDir, "h"));
        assertEquals("tls.clientCa", e.key());
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param daysShift moves the validity window (negative: already expired) */
    private static X509Certificate cert(KeyPair issuer, String issuerDn, java.security.PublicKey subjectKey,
                                        String subjectDn, boolean isCa, String rfc822, int daysShift) {
        try {
            Instant from = Instant.now().plus(Duration.ofDays(daysShift)).minusSeconds(60);
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuerDn),
                    BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(from.plus(Duration.ofDays(1))),
                    new X500Name(subjectDn), subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (rfc822 != null) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.rfc822Name, rfc822)));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
