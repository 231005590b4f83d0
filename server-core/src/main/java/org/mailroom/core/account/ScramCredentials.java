package org.mailroom.core.account;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * What a server keeps to check SCRAM-SHA-256 logins without knowing the password (RFC 5802 3,
 * RFC 7677): salt, iteration count, {@code StoredKey = H(HMAC(SaltedPassword, "Client Key"))} and
 * {@code ServerKey = HMAC(SaltedPassword, "Server Key")}, with
 * {@code SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, i)}.
 *
 * <p>Written as PostgreSQL writes its SCRAM verifiers, so the format is already known to tools:
 * {@code SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>}.
 *
 * <p>XXX No SASLprep (RFC 4013) of the password: it is used as its UTF-8 octets, as in
 * {@link PasswordHasher}. Clients that apply SASLprep give the same octets for ASCII passwords.
 */
public record ScramCredentials(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    /** RFC 7677 4: the iteration count SHOULD be at least 4096. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** Read back from a file: a hostile value must not make one login spin for minutes. */
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final String PREFIX = "SCRAM-SHA-256$";
    private static final Pattern FORMAT = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,8}):([A-Za-z0-9+/=]{4,88})\\$([A-Za-z0-9+/=]{44}):([A-Za-z0-9+/=]{44})");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ScramCredentials {
        if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0
                || storedKey.length != 32 || serverKey.length != 32) {
            throw new IllegalArgumentException("bad SCRAM-SHA-256 credentials");
        }
    }

    /** New credentials with a fresh random salt. Costs {@code iterations} HMACs: blocking executor only. */
    public static ScramCredentials derive(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return derive(password, salt, DEFAULT_ITERATIONS);
    }

    /** RFC 5802 3: the keys for {@code password}; the array is not modified. */
    public static ScramCredentials derive(char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        try {
            byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
            byte[] storedKey = sha256(clientKey);
            byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
            return new ScramCredentials(iterations, salt.clone(), storedKey, serverKey);
        } finally {
            Arrays.fill(salted, (byte) 0);
        }
    }

    /** The stored form, or null when {@code s} is not one (never throws for bad stored data). */
    public static ScramCredentials parse(String s) {
        if (s == null) return null;
        Matcher m = FORMAT.matcher(s.strip());
        if (!m.matches()) return null;
        try {
            Base64.Decoder d = Base64.getDecoder();
            return new ScramCredentials(Integer.parseInt(m.group(1)), d.decode(m.group(2)),
                    d.decode(m.group(3)), d.decode(m.group(4)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The stored form (see the class comment). */
    public String encode() {
        Base64.Encoder e = Base64.getEncoder();
        return PREFIX + iterations + ":" + e.encodeToString(salt) + "$" + e.encodeToString(storedKey)
                + ":" + e.encodeToString(serverKey);
    }

    @Override
    public String toString() {
        return "ScramCredentials[i=" + iterations + ", keys=<hidden>]";
    }

    // ---- the primitives of RFC 5802 2.2, shared with the mechanism ----------------------------

    /** {@code Hi(password, salt, i)}: PBKDF2 with HMAC-SHA-256 and a 32-octet output (RFC 5802 2.2). */
    static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
        try {
            PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
            gen.init(pw, salt, iterations);
            return ((KeyParameter) gen.generateDerivedMacParameters(256)).getKey();
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** {@code HMAC(key, data)} with SHA-256. */
    public static byte[] hmac(byte[] key, byte[] data) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[32];
        mac.doFinal(out, 0);
        return out;
    }

    /** {@code H(data)}: SHA-256. */
    public static byte[] sha256(byte[] data) {
        SHA256Digest d = new SHA256Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials c && c.iterations == iterations && Arrays.equals(c.salt, salt)
                && Arrays.equals(c.storedKey, storedKey) && Arrays.equals(c.serverKey, serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }
}
