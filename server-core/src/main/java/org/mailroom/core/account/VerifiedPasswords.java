package org.mailroom.core.account;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords that verified against an account's Argon2id hash recently, so that the next login with
 * the same password skips the ~40 ms hash (Dovecot's auth_cache does the same): a mail client opens
 * several connections with one password, and phones reconnect all day.
 *
 * <p>Kept per account: an HMAC-SHA-256 of the password under a key made at random for this process
 * (never the password), the stored hash it was checked against (a new password or a changed
 * users file makes the entry stale at once), and an expiry. Only successes are kept: a wrong
 * password always costs the full hash, so guessing stays as slow as before. XXX someone who can read
 * this process's memory can test guesses against an entry at HMAC speed instead of Argon2 speed;
 * that is the trade of every such cache, and {@code auth.cacheTtl = 0} turns it off.
 *
 * <p>Thread-safe; bounded ({@link #MAX_ENTRIES}, then emptied).
 */
final class VerifiedPasswords {
    static final int MAX_ENTRIES = 100_000;

    private record Entry(byte[] mac, String hash, long expiresNanos) {}

    private final long ttlNanos;
    private final SecretKeySpec key;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    VerifiedPasswords(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /** Whether {@code password} verified against {@code hash} for this account within the TTL. */
    boolean verified(String account, String hash, char[] password) {
        if (!enabled()) return false;
        Entry e = entries.get(account);
        if (e == null || !e.hash().equals(hash)) return false;
        if (System.nanoTime() - e.expiresNanos() > 0) {
            entries.remove(account, e);
            return false;
        }
        return MessageDigest.isEqual(e.mac(), mac(password));
    }

    /** Records a successful Argon2id verification. */
    void remember(String account, String hash, char[] password) {
        if (!enabled()) return;
        if (entries.size() >= MAX_ENTRIES) entries.clear();
        entries.put(account, new Entry(mac(password), hash, System.nanoTime() + ttlNanos));
    }

    private byte[] mac(char[] password) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            m.update(b);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        } finally {
            if (b.hasArray()) Arrays.fill(b.array(), (byte) 0);
        }
    }
}
