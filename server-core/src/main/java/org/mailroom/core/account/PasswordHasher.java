package org.mailroom.core.account;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format that libargon2, Dovecot ({@code ARGON2ID})
 * and Python's argon2-cffi write:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (base64 without padding).
 *
 * <p>New hashes use the OWASP minimum for Argon2id (19 MiB, 2 passes, 1 lane), a 16-byte random
 * salt and a 32-byte output: about 50 ms and 19 MiB of memory per call, so call it from the
 * blocking executor only. {@link #verify} reads the parameters from the stored string, so the
 * defaults can be raised later without invalidating existing hashes. Thread-safe.
 */
public final class PasswordHasher {
    /** OWASP Password Storage Cheat Sheet, Argon2id minimum: m=19 MiB, t=2, p=1. */
    static final int DEFAULT_MEMORY_KIB = 19_456;
    static final int DEFAULT_ITERATIONS = 2;
    static final int DEFAULT_PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    // Bounds for parameters read back from a stored string: a corrupt or hostile users.properties
    // must not make one login allocate gigabytes or spin for minutes.
    private static final int MAX_MEMORY_KIB = 1 << 20; // 1 GiB
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 16;

    // RFC 9106 3.1 and the PHC string format; only version 0x13 (19) is produced or accepted.
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,10})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{6,88})");

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();

    /** A hasher producing hashes with the OWASP minimum parameters. */
    public PasswordHasher() {
        this(DEFAULT_MEMORY_KIB, DEFAULT_ITERATIONS, DEFAULT_PARALLELISM);
    }

    /** Other cost parameters for new hashes (tests; a future configuration key). */
    PasswordHasher(int memoryKib, int iterations, int parallelism) {
        if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB
                || iterations < 1 || iterations > MAX_ITERATIONS
                || parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("argon2 parameters out of range");
        }
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /**
     * Hashes {@code password} with a fresh random salt.
     *
     * @param password not modified; the caller wipes it
     * @return the PHC string, ASCII, without spaces
     */
    public String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = derive(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /**
     * Checks {@code password} against a stored PHC string, with the parameters the string names.
     * The comparison takes constant time in the hash bytes.
     *
     * @param password not modified; the caller wipes it
     * @return false on a wrong password and on any malformed, unsupported or out-of-range stored
     *         string (never throws for bad stored data)
     */
    public boolean verify(char[] password, String phc) {
        Params p = parse(phc);
        if (p == null || password == null) return false;
        byte[] actual = derive(password, p.salt, p.memoryKib, p.iterations, p.parallelism, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /** Whether {@code phc} is a string {@link #verify} can check (for diagnostics on load). */
    static boolean wellFormed(String phc) {
        return parse(phc) != null;
    }

    private record Params(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {}

    private static Params parse(String phc) {
        if (phc == null) return null;
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) return null;
        long mem = Long.parseLong(m.group(1));
        long t = Long.parseLong(m.group(2));
        long par = Long.parseLong(m.group(3));
        if (par < 1 || par > MAX_PARALLELISM || t < 1 || t > MAX_ITERATIONS
                || mem < 8 * par || mem > MAX_MEMORY_KIB) { // RFC 9106 3.1: m >= 8*p
            return null;
        }
        byte[] salt;
        byte[] hash;
        try {
            salt = B64D.decode(m.group(4));
            hash = B64D.decode(m.group(5));
        } catch (IllegalArgumentException e) {
            return null; // e.g. a length of 4n+1 characters, which no byte string encodes to
        }
        if (salt.length < 8 || hash.length < 4) return null; // RFC 9106 3.1 minimums
        return new Params((int) mem, (int) t, (int) par, salt, hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int memoryKib, int iterations,
                                 int parallelism, int length) {
        // Encode without a String so the UTF-8 bytes can be wiped afterwards.
        ByteBuffer bb = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] pw = new byte[bb.remaining()];
        bb.get(pw);
        if (bb.hasArray()) Arrays.fill(bb.array(), (byte) 0);
        try {
            Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(memoryKib)
                    .withIterations(iterations)
                    .withParallelism(parallelism)
                    .withSalt(salt)
                    .build();
            Argon2BytesGenerator gen = new Argon2BytesGenerator();
            gen.init(params);
            byte[] out = new byte[length];
            gen.generateBytes(pw, out);
            return out;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }
}
