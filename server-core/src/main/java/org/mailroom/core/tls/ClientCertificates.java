package org.mailroom.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Keys;

/**
 * Client certificates for SASL EXTERNAL (RFC 4422 appendix A), trusted through the CA file of
 * {@code tls.clientCa}.
 *
 * <ul>
 *   <li><b>Handshake.</b> The server asks for a certificate but does not require one. The trust
 *       manager {@link #handshakeTrustManager} accepts any client chain, so a client with an
 *       unknown or broken certificate still gets its TLS session (and can log in with a password);
 *       it only names the CA to the client (RFC 8446 4.2.4 certificate_authorities).</li>
 *   <li><b>Verification.</b> After the handshake {@link #verify} checks the peer's chain with PKIX
 *       (RFC 5280 6) against the CA certificates only: signatures, validity dates, basic
 *       constraints. XXX No revocation check (no CRL or OCSP source is configured).</li>
 *   <li><b>Mapping.</b> {@link #mailbox}: the first rfc822Name of the subjectAltName (RFC 5280
 *       4.2.1.6), else the subject's emailAddress attribute (1.2.840.113549.1.9.1, PKCS#9). The
 *       caller checks that the account exists.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class ClientCertificates {
    private final List<X509Certificate> cas;
    private final Set<TrustAnchor> anchors;

    ClientCertificates(List<X509Certificate> cas) {
        if (cas.isEmpty()) throw new IllegalArgumentException("no CA certificate");
        this.cas = List.copyOf(cas);
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : cas) a.add(new TrustAnchor(c, null));
        this.anchors = Set.copyOf(a);
    }

    /** The CA certificates of a PEM file. */
    public static ClientCertificates load(Path file) throws ConfigError {
        String keyName = Keys.TLS_CLIENT_CA.name();
        List<X509Certificate> cas = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder h) cas.add(converter.getCertificate(h));
            }
        } catch (IOException e) {
            throw new ConfigError(file, 0, keyName, "cannot read: " + e.getMessage());
        } catch (CertificateException e) {
            throw new ConfigError(file, 0, keyName, "bad certificate: " + e.getMessage());
        }
        if (cas.isEmpty()) {
            throw new ConfigError(file, 0, keyName, "no certificate (expected PEM '-----BEGIN CERTIFICATE-----')");
        }
        return new ClientCertificates(cas);
    }

    /** With these CA certificates (tests). */
    public static ClientCertificates of(X509Certificate... cas) {
        return new ClientCertificates(Arrays.asList(cas));
    }

    /** For the server's SSL context: accepts every client chain, names the CAs. */
    public X509TrustManager handshakeTrustManager() {
        X509Certificate[] issuers = cas.toArray(X509Certificate[]::new);
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // accepted here, judged by verify() after the handshake
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("server side only");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return issuers.clone();
            }
        };
    }

    /** True when {@code chain} (leaf first, as the peer sent it) leads to one of the CAs. */
    public boolean verify(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) return false;
        try {
            List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
            // a CA the client sent along is the anchor, not part of the path
            path.removeIf(c -> cas.contains(c));
            if (path.isEmpty()) return false;
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return true;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The mail address the certificate names, lower-cased, or null. */
    public static String mailbox(X509Certificate cert) {
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(1).equals(san.get(0)) && san.get(1) instanceof String s && !s.isBlank()) {
                        return s.trim().toLowerCase(Locale.ROOT); // 1: rfc822Name
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return null;
        }
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.EmailAddress)) {
            for (AttributeTypeAndValue tv : rdn.getTypesAndValues()) {
                if (!tv.getType().equals(BCStyle.EmailAddress)) continue;
                ASN1Encodable v = tv.getValue();
                if (v instanceof ASN1String s && !s.getString().isBlank()) return s.getString().trim().toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
