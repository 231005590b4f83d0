package org.mailroom.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailroom.core.store.MessageRef;

/** UIDL values (RFC 1939 7): UIDVALIDITY and UID in hex, at least 8 digits each, for every session alike. */
class MaildropTest {

    private static MessageRef ref(long uid) {
        return new MessageRef(uid, 10, 12, Instant.EPOCH, Set.of(), Set.of(), 1);
    }

    @Test
    void uniqueIdsAreTheValidityAndTheUidInHexPaddedToEightDigits() {
        Maildrop m = new Maildrop(null, 0x5f, List.of(ref(1)));
        assertEquals("0000005f00000001", m.uniqueId(ref(1)));
        assertEquals("0000005fabcdef12", m.uniqueId(ref(0xabcdef12L)));
        assertEquals("0000005f100000000", m.uniqueId(ref(0x1_0000_0000L)), "UIDs above 32 bits get more digits");
        assertEquals("fffffffe00000001", new Maildrop(null, 0xfffffffeL, List.of(ref(1))).uniqueId(ref(1)));
    }
}
