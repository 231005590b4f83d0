package org.mailroom.core.account;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {
    private static final PasswordHasher HASHER = new PasswordHasher();
    /** Made once; each hash costs ~50 ms. */
    private static final String SECRET_HASH = HASHER.hash("secret".toCharArray());

    @Test
    void hashIsPhcStringWithOwaspParameters() {
        // 16-byte salt = 22 base64 chars, 32-byte hash = 43, no padding
        assertTrue(SECRET_HASH.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"),
                SECRET_HASH);
    }

    @Test
    void rightPasswordVerifies() {
        assertTrue(HASHER.verify("secret".toCharArray(), SECRET_HASH));
    }

    @Test
    void wrongPasswordDoesNotVerify() {
        assertFalse(HASHER.verify("Secret".toCharArray(), SECRET_HASH));
        assertFalse(HASHER.verify("secret ".toCharArray(), SECRET_HASH));
        assertFalse(HASHER.verify(new char[0], SECRET_HASH));
    }

    @Test
    void passwordArrayIsLeftAlone() {
        char[] pw = "secret".toCharArray();
        HASHER.verify(pw, SECRET_HASH);
        assertTrue(Arrays.equals("secret".toCharArray(), pw));
    }

    @Test
    void saltIsRandom() {
        assertNotEquals(SECRET_HASH, HASHER.hash("secret".toCharArray()));
    }

    @Test
    void nonAsciiPasswordIsHashedAsUtf8() {
        String phc = HASHER.hash("pässwörd€".toCharArray());
        assertTrue(HASHER.verify("pässwörd€".toCharArray(), phc));
        assertFalse(HASHER.verify("passwörd€".toCharArray(), phc));
    }

    @Test
    void parametersAreReadFromTheStoredString() {
        String cheap = new PasswordHasher(1024, 1, 2).hash("secret".toCharArray());
        assertTrue(cheap.startsWith("$argon2id$v=19$m=1024,t=1,p=2$"), cheap);
        assertTrue(HASHER.verify("secret".toCharArray(), cheap));
        assertFalse(HASHER.verify("wrong".toCharArray(), cheap));
    }

    /**
     * Hashes written by the reference implementation (libargon2's {@code argon2} command, as used
     * by Dovecot and argon2-cffi) verify here, so existing user databases can be imported:
     * {@code echo -n PASSWORD | argon2 SALT -id -t T -k M -p P -l 32 -e}.
     */
    @Test
    void verifiesHashesOfTheReferenceImplementation() {
        assertTrue(HASHER.verify("correct horse battery staple".toCharArray(),
                "$argon2id$v=19$m=19456,t=2,p=1$bWFpbHJvb20tc2FsdC0xNg$9IUMR8XQDpgWp07IfnklSQeuZzGFDnrgx6WuV9GJfFk"));
        assertTrue(HASHER.verify("p\u00e4ssw\u00f6rd".toCharArray(),
                "$argon2id$v=19$m=64,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$ZmJq50dJU8aSfxMt6Qb5E5QOENFXInKYGY3Wi3dzTPE"));
        assertFalse(HASHER.verify("correct horse battery stapl".toCharArray(),
                "$argon2id$v=19$m=19456,t=2,p=1$bWFpbHJvb20tc2FsdC0xNg$9IUMR8XQDpgWp07IfnklSQeuZzGFDnrgx6WuV9GJfFk"));
    }

    @Test
    void tamperedHashDoesNotVerify() {
        char[] c = SECRET_HASH.toCharArray();
        int i = c.length - 5;
        c[i] = c[i] == 'A' ? 'B' : 'A';
        assertFalse(HASHER.verify("secret".toCharArray(), new String(c)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "secret",                                                          // plain text
        "$argon2id$",
        "$argon2i$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", // argon2i, not id
        "$argon2id$v=16$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", // old version
        "$argon2id$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",      // version missing
        "$argon2id$v=19$m=0,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",    // m < 8p
        "$argon2id$v=19$m=9999999999,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", // 9 TiB
        "$argon2id$v=19$m=1024,t=0,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=1024,t=1000000,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$m=1024,t=1,p=0$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
        "$argon2id$v=19$t=1,m=1024,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA", // wrong order
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0",                        // no hash
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$",
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhh!2hoYXNoaGFzaA", // not base64
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaAxyz", // 4n+1 chars
        "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",           // 4-byte salt
        "$argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA$extra",
        " $argon2id$v=19$m=1024,t=1,p=1$c29tZXNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA",
    })
    void malformedStoredStringIsFalseNotException(String phc) {
        assertFalse(assertDoesNotThrow(() -> HASHER.verify("secret".toCharArray(), phc)));
        assertFalse(PasswordHasher.wellFormed(phc));
    }
}
