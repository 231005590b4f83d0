package org.mailroom.core.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS identity for every listener, loaded from {@code tls.cert}/{@code tls.key} or made
 * self-signed in {@code <data>/tls/} on first start. Thread-safe; {@link #newServerHandler} is cheap
 * and safe on an event loop.
 *
 * <ul>
 *   <li><b>Files.</b> {@code tls.cert} is a PEM certificate chain, leaf first (Let's Encrypt's
 *       {@code fullchain.pem}); {@code tls.key} a PEM RSA or EC key in PKCS#1, SEC1 or PKCS#8
 *       form, unencrypted ({@code privkey.pem}). Relative paths are resolved against the
 *       configuration directory. The key must belong to the leaf certificate.</li>
 *   <li><b>Self-signed.</b> With both keys empty, {@code <data>/tls/selfsigned-cert.pem} and
 *       {@code selfsigned-key.pem} are used, made on first start (EC P-256, CN and DNS names of the
 *       host name and {@code localhost}, valid 10 years; key mode 0600, directory 0700).</li>
 *   <li><b>Reload.</b> {@link #reloadIfChanged} re-reads the files when their mtime or size
 *       changed (certbot renewing). A bad new pair is logged once and the old identity stays in
 *       use, so a half-finished renewal never takes TLS down. Connections already open keep the
 *       identity they were made with.</li>
 *   <li><b>Client certificates.</b> With {@code tls.clientCa} set, a client certificate is asked
 *       for but not required; see {@link ClientCertificates}.</li>
 *   <li><b>Protocols.</b> TLS 1.3 and 1.2 only (RFC 8996 deprecates 1.0 and 1.1), with the JDK
 *       provider and Netty's default cipher suites.</li>
 * </ul>
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final String SELF_SIGNED_CERT = "selfsigned-cert.pem";
    private static final String SELF_SIGNED_KEY = "selfsigned-key.pem";
    private static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);
    /** A certificate that ends sooner is warned about on every load. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(14);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> MODE_0700 = PosixFilePermissions.fromString("rwx------");

    /** Where the pair comes from; fixed for the life of this object. */
    private record Source(Path cert, Path key) {}

    /** mtime and size of both files, null/-1 for a missing file. */
    private record Stamp(FileTime certMtime, long certSize, FileTime keyMtime, long keySize) {}

    /** One loaded pair and the context built from it. */
    private record Identity(SslContext context, X509Certificate[] chain, Stamp stamp) {}

    private final Source source;
    /** {@code tls.clientCa}, or null: no client certificate is asked for. */
    private final ClientCertificates clientCertificates;
    private volatile Identity current;
    /** The stamp of the last pair that failed to load, so a bad renewal is reported once. */
    private Stamp failed; // guarded by this

    private TlsContexts(Source source, ClientCertificates clientCertificates, Identity identity) {
        this.source = source;
        this.clientCertificates = clientCertificates;
        this.current = identity;
    }

    /**
     * Loads (or creates) the certificate and key. Blocking; call at start.
     *
     * @param dataDir  holds {@code tls/} for the self-signed pair
     * @param hostname the name to put in a self-signed certificate (empty: {@code localhost})
     * @throws ConfigError naming {@code tls.cert} or {@code tls.key} and the file, when only one
     *                     of the keys is set or a file is missing, unreadable, holds no
     *                     certificate or key, or the key does not belong to the certificate
     * @throws IOException when the self-signed pair cannot be written
     */
    public static TlsContexts load(Config config, Path dataDir, String hostname) throws IOException, ConfigError {
        String cert = config.get(Keys.TLS_CERT).trim();
        String key = config.get(Keys.TLS_KEY).trim();
        Path configFile = config.configDir().resolve("mailroom.properties");
        if (cert.isEmpty() && !key.isEmpty()) {
            throw new ConfigError(configFile, 0, Keys.TLS_CERT.name(), "must be set when tls.key is set");
        }
        if (key.isEmpty() && !cert.isEmpty()) {
            throw new ConfigError(configFile, 0, Keys.TLS_KEY.name(), "must be set when tls.cert is set");
        }
        Source source;
        if (cert.isEmpty()) {
            Path dir = dataDir.resolve("tls");
            source = new Source(dir.resolve(SELF_SIGNED_CERT), dir.resolve(SELF_SIGNED_KEY));
            if (!Files.isRegularFile(source.cert) || !Files.isRegularFile(source.key)) {
                writeSelfSigned(dir, source, hostname == null || hostname.isBlank() ? "localhost" : hostname.trim());
            }
        } else {
            source = new Source(config.configDir().resolve(cert).normalize(), config.configDir().resolve(key).normalize());
        }
        String clientCa = config.get(Keys.TLS_CLIENT_CA).trim();
        ClientCertificates clients = clientCa.isEmpty() ? null
                : ClientCertificates.load(config.configDir().resolve(clientCa).normalize());
        Identity identity = read(source, clients);
        describe("loaded", source, identity);
        return new TlsContexts(source, clients, identity);
    }

    /**
     * A handler for one connection. With {@code startTls} the first write (the 220 / +OK that says
     * "go ahead") passes unencrypted, so the session installs the handler before writing it.
     */
    public SslHandler newServerHandler(Channel ch, boolean startTls) {
        // Same as SslContext.newHandler(alloc, startTls), which is protected in Netty 4.1.
        return new SslHandler(current.context.newEngine(ch.alloc()), startTls);
    }

    /** {@code tls.clientCa}: how client certificates are verified and mapped; null when not set. */
    public ClientCertificates clientCertificates() {
        return clientCertificates;
    }

    /** The leaf certificate new connections present. */
    public X509Certificate certificate() {
        return current.chain[0];
    }

    /**
     * Re-reads the certificate and key if either file's mtime or size changed since the last
     * successful load. Blocking (file I/O); call from the blocking executor, e.g. once a minute.
     * On failure logs one warning per changed state and keeps the current identity; never throws.
     */
    public synchronized void reloadIfChanged() {
        Stamp now = stat(source);
        if (now.equals(current.stamp) || now.equals(failed)) return;
        try {
            Identity identity = read(source, clientCertificates);
            current = identity;
            failed = null;
            describe("reloaded", source, identity);
        } catch (ConfigError e) {
            failed = now;
            log.warn("tls: {}; keeping the previous certificate", e.oneLine());
        }
    }

    // ---- reading ----------------------------------------------------------------------------

    private static Stamp stat(Source s) {
        FileTime cm = null;
        FileTime km = null;
        long cs = -1;
        long ks = -1;
        try {
            BasicFileAttributes a = Files.readAttributes(s.cert, BasicFileAttributes.class);
            cm = a.lastModifiedTime();
            cs = a.size();
        } catch (IOException e) {
            // reported by read()
        }
        try {
            BasicFileAttributes a = Files.readAttributes(s.key, BasicFileAttributes.class);
            km = a.lastModifiedTime();
            ks = a.size();
        } catch (IOException e) {
            // reported by read()
        }
        return new Stamp(cm, cs, km, ks);
    }

    private static Identity read(Source s, ClientCertificates clients) throws ConfigError {
        Stamp stamp = stat(s); // before reading: a change during the read is seen next time
        X509Certificate[] chain = readChain(s.cert);
        PrivateKey key = readKey(s.key);
        requireMatch(chain[0], key, s.key);
        SslContext ctx;
        try {
            SslContextBuilder b = SslContextBuilder.forServer(key, chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS);
            if (clients != null) {
                // OPTIONAL with a trust manager that accepts every chain: a bad client certificate
                // must not fail the handshake; ClientCertificates.verify judges it afterwards
                b.clientAuth(ClientAuth.OPTIONAL).trustManager(clients.handshakeTrustManager());
            }
            ctx = b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigError(s.key, 0, Keys.TLS_KEY.name(), "not usable for TLS: " + e.getMessage());
        }
        return new Identity(ctx, chain, stamp);
    }

    private static X509Certificate[] readChain(Path file) throws ConfigError {
        String keyName = Keys.TLS_CERT.name();
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        // ISO-8859-1 never fails to decode, so a binary (DER) file reads as "no certificate".
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder h) chain.add(converter.getCertificate(h));
            }
        } catch (NoSuchFileException e) {
            throw new ConfigError(file, 0, keyName, "no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigError(file, 0, keyName, "permission denied");
        } catch (IOException e) {
            throw new ConfigError(file, 0, keyName, "cannot read: " + e.getMessage());
        } catch (CertificateException e) {
            throw new ConfigError(file, 0, keyName, "bad certificate: " + e.getMessage());
        }
        if (chain.isEmpty()) {
            throw new ConfigError(file, 0, keyName, "no certificate (expected PEM '-----BEGIN CERTIFICATE-----')");
        }
        return chain.toArray(X509Certificate[]::new);
    }

    private static PrivateKey readKey(Path file) throws ConfigError {
        String keyName = Keys.TLS_KEY.name();
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
             PEMParser pem = new PEMParser(r)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                // Other objects (an "EC PARAMETERS" block before a SEC1 key, a certificate in a
                // combined file) are skipped.
                if (o instanceof PEMKeyPair kp) { // PKCS#1 or SEC1
                    // RFC 5915 3: the public key in a SEC1 key is optional, and getKeyPair needs it
                    return converter.getPrivateKey(kp.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo pki) return converter.getPrivateKey(pki); // PKCS#8
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new ConfigError(file, 0, keyName,
                            "encrypted private keys are not supported (decrypt it: openssl pkey -in KEY -out NEWKEY)");
                }
            }
        } catch (NoSuchFileException e) {
            throw new ConfigError(file, 0, keyName, "no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigError(file, 0, keyName, "permission denied");
        } catch (IOException e) {
            throw new ConfigError(file, 0, keyName, "cannot read: " + e.getMessage());
        }
        throw new ConfigError(file, 0, keyName,
                "no private key (expected PEM 'BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY' or 'BEGIN EC PRIVATE KEY')");
    }

    /**
     * Checks that {@code key} belongs to the leaf certificate. XXX Instead of deriving the public
     * key (a PKCS#8 EC key need not carry it) this signs a random block with the private key and
     * verifies it with the certificate's public key: the same answer for RSA and EC with one code
     * path, and it also catches a corrupt key.
     */
    private static void requireMatch(X509Certificate leaf, PrivateKey key, Path keyFile) throws ConfigError {
        String keyName = Keys.TLS_KEY.name();
        String keyAlg = family(key.getAlgorithm());
        String certAlg = family(leaf.getPublicKey().getAlgorithm());
        if (keyAlg == null) throw new ConfigError(keyFile, 0, keyName, "unsupported key type " + key.getAlgorithm() + " (use RSA or EC)");
        if (!keyAlg.equals(certAlg)) {
            throw new ConfigError(keyFile, 0, keyName, "key does not match certificate (" + keyAlg
                    + " key, " + leaf.getPublicKey().getAlgorithm() + " certificate)");
        }
        try {
            byte[] data = new byte[32];
            new SecureRandom().nextBytes(data);
            Signature sig = Signature.getInstance(keyAlg.equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA");
            sig.initSign(key);
            sig.update(data);
            byte[] signature = sig.sign();
            sig.initVerify(leaf.getPublicKey());
            sig.update(data);
            if (!sig.verify(signature)) {
                throw new ConfigError(keyFile, 0, keyName, "key does not match certificate " + leaf.getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigError(keyFile, 0, keyName, "key does not match certificate: " + e.getMessage());
        }
    }

    private static String family(String algorithm) {
        return switch (algorithm) {
            case "RSA" -> "RSA";
            case "EC", "ECDSA" -> "EC";
            default -> null;
        };
    }

    private static void describe(String what, Source s, Identity id) {
        X509Certificate leaf = id.chain[0];
        log.info("tls: {} {} ({} in chain, subject {}, expires {})", what, s.cert, id.chain.length,
                leaf.getSubjectX500Principal().getName(), leaf.getNotAfter().toInstant());
        if (leaf.getNotAfter().toInstant().isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            log.warn("tls: certificate {} expires {}", s.cert, leaf.getNotAfter().toInstant());
        }
    }

    // ---- self-signed ------------------------------------------------------------------------

    private static void writeSelfSigned(Path dir, Source s, String hostname) throws IOException {
        KeyPair kp;
        X509Certificate cert;
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            kp = kpg.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
            // RFC 5280 4.1.2.2: a positive serial of at most 20 octets; random, so a new
            // certificate never repeats the serial of an old one a client may have pinned.
            BigInteger serial = new BigInteger(127, random).setBit(126);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(Duration.ofHours(1))), // tolerate clients whose clock is behind
                    Date.from(now.plus(SELF_SIGNED_VALIDITY)), name, kp.getPublic());
            // RFC 6125 6.4.4 / RFC 2818 3.1: clients check subjectAltName, not the CN.
            Set<String> names = new LinkedHashSet<>(List.of(hostname, "localhost"));
            List<GeneralName> san = new ArrayList<>();
            for (String n : names) {
                boolean ip = IPV4.matcher(n).matches() || n.indexOf(':') >= 0;
                san.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san.toArray(GeneralName[]::new)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }

        Files.createDirectories(dir.getParent());
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, posix(dir.getParent(), MODE_0700));
            if (supportsPosix(dir)) Files.setPosixFilePermissions(dir, MODE_0700); // whatever the umask
        }
        // The key first: a crash in between leaves no certificate, and the next start makes a
        // new pair instead of pairing an old certificate with a new key.
        writeAtomically(s.key, pem(new JcaPKCS8Generator(kp.getPrivate(), null)), MODE_0600);
        writeAtomically(s.cert, pem(cert), MODE_0644);
        log.info("tls: made a self-signed certificate for {} in {}", hostname, dir);
    }

    private static String pem(Object o) throws IOException {
        StringWriter sw = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(o);
        }
        return sw.toString();
    }

    /** Temporary file (mode set before any content), fsync, rename, fsync of the directory. */
    private static void writeAtomically(Path file, String content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = file.getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", posix(dir, MODE_0600));
        try {
            if (supportsPosix(dir)) Files.setPosixFilePermissions(tmp, mode);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = StandardCharsets.US_ASCII.encode(content);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static boolean supportsPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] posix(Path dir, Set<PosixFilePermission> mode) {
        return supportsPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }
}
