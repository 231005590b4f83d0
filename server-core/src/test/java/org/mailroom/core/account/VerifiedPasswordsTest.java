package org.mailroom.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifiedPasswordsTest {
    @TempDir Path dir;

    @Test
    void onlyTheSamePasswordAgainstTheSameHashWithinTheTtl() throws Exception {
        VerifiedPasswords v = new VerifiedPasswords(Duration.ofMinutes(5));
        assertFalse(v.verified("a@x", "$h1", "pw".toCharArray()), "nothing remembered yet");
        v.remember("a@x", "$h1", "pw".toCharArray());
        assertTrue(v.verified("a@x", "$h1", "pw".toCharArray()));
        assertFalse(v.verified("a@x", "$h1", "pW".toCharArray()), "another password");
        assertFalse(v.verified("a@x", "$h2", "pw".toCharArray()), "the account's hash changed");
        assertFalse(v.verified("b@x", "$h1", "pw".toCharArray()), "another account");

        VerifiedPasswords expired = new VerifiedPasswords(Duration.ofNanos(1));
        expired.remember("a@x", "$h1", "pw".toCharArray());
        Thread.sleep(1);
        assertFalse(expired.verified("a@x", "$h1", "pw".toCharArray()), "past the TTL");

        VerifiedPasswords off = new VerifiedPasswords(Duration.ZERO);
        off.remember("a@x", "$h1", "pw".toCharArray());
        assertFalse(off.verified("a@x", "$h1", "pw".toCharArray()), "0 turns it off");
    }

    @Test
    void aStoreWithTheCacheStillRefusesWrongAndReplacedPasswords() throws Exception {
        PropertiesAccountStore s = new PropertiesAccountStore(dir.resolve("users.properties"),
                new PasswordHasher(256, 1, 1), Duration.ofMinutes(5));
        s.add("alice@example.org", "one".toCharArray());
        assertEquals(Optional.of(new Account("alice@example.org")), s.authenticate("alice@example.org", "one".toCharArray()));
        assertEquals(Optional.of(new Account("alice@example.org")), s.authenticate("Alice@example.org", "one".toCharArray()));
        assertEquals(Optional.empty(), s.authenticate("alice@example.org", "two".toCharArray()));
        s.setPassword("alice@example.org", "two".toCharArray());
        assertEquals(Optional.empty(), s.authenticate("alice@example.org", "one".toCharArray()), "the old password is gone at once");
        assertEquals(Optional.of(new Account("alice@example.org")), s.authenticate("alice@example.org", "two".toCharArray()));
        s.remove("alice@example.org");
        assertEquals(Optional.empty(), s.authenticate("alice@example.org", "two".toCharArray()), "a removed account");
    }
}
