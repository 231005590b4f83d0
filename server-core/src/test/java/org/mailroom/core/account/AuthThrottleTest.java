package org.mailroom.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    long now = 1_000_000_000L;
    AuthThrottle throttle = new AuthThrottle(AuthThrottle.Policy.DEFAULT, () -> now);

    static InetAddress ip(String s) throws Exception { return InetAddress.getByName(s); }

    void advance(Duration d) { now += d.toNanos(); }

    @Test
    void delaysGrowThenCapAndAddressLocksOutAfterTen() throws Exception {
        InetAddress a = ip("192.0.2.1");
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            assertFalse(throttle.lockedOut(a), "not yet after " + i);
            seconds.add(throttle.failed(a, "alice@example.test").toSeconds());
        }
        assertEquals(List.of(0L, 0L, 1L, 2L, 4L, 8L, 15L, 15L, 15L), seconds);
        assertFalse(throttle.lockedOut(a));
        throttle.failed(a, "alice@example.test");
        assertTrue(throttle.lockedOut(a), "the tenth failure locks the address out");
        advance(Duration.ofMinutes(4));
        assertTrue(throttle.lockedOut(a));
        advance(Duration.ofMinutes(1).plusSeconds(1));
        assertFalse(throttle.lockedOut(a), "the lockout ends after 5 minutes");
    }

    @Test
    void anotherAddressIsNotAffected() throws Exception {
        for (int i = 0; i < 10; i++) throttle.failed(ip("192.0.2.1"), "mallory@example.test");
        assertTrue(throttle.lockedOut(ip("192.0.2.1")));
        assertFalse(throttle.lockedOut(ip("192.0.2.2")));
        assertEquals(Duration.ZERO, throttle.failed(ip("192.0.2.2"), "bob@example.test"));
    }

    @Test
    void ipv6IsCountedPerSlash64() throws Exception {
        for (int i = 0; i < 10; i++) throttle.failed(ip("2001:db8:1:2::" + (i + 1)), "x@example.test");
        assertTrue(throttle.lockedOut(ip("2001:db8:1:2::ffff")));
        assertFalse(throttle.lockedOut(ip("2001:db8:1:3::1")));
    }

    @Test
    void manyAddressesSlowAnAccountButNeverLockItOut() throws Exception {
        Duration last = Duration.ZERO;
        for (int i = 0; i < 40; i++) last = throttle.failed(ip("198.51.100." + (i + 1)), "alice@example.test");
        assertEquals(Duration.ofSeconds(15), last, "failures for the account are slowed down");
        InetAddress home = ip("203.0.113.9");
        assertFalse(throttle.lockedOut(home), "the real user's address is never locked by others' failures");
        throttle.succeeded(home, "alice@example.test");
        assertEquals(Duration.ZERO, throttle.failed(home, "alice@example.test"), "success forgave the account");
    }

    @Test
    void successForgivesTheAddress() throws Exception {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < 5; i++) throttle.failed(a, "alice@example.test");
        throttle.succeeded(a, "alice@example.test");
        assertEquals(Duration.ZERO, throttle.failed(a, "alice@example.test"));
    }

    @Test
    void entriesExpireAndMemoryIsBounded() throws Exception {
        InetAddress a = ip("192.0.2.1");
        for (int i = 0; i < 5; i++) throttle.failed(a, "alice@example.test");
        advance(Duration.ofMinutes(16));
        assertEquals(Duration.ZERO, throttle.failed(a, "alice@example.test"), "forgotten after 15 idle minutes");

        AuthThrottle small = new AuthThrottle(new AuthThrottle.Policy(2, Duration.ofSeconds(1), Duration.ofSeconds(15),
                10, Duration.ofMinutes(5), 20, Duration.ofMinutes(15), 100), () -> now);
        for (int i = 0; i < 1000; i++) small.failed(ip("10.0." + (i / 250) + "." + (i % 250)), "u" + i + "@example.test");
        assertEquals(200, small.size(), "at most 100 addresses and 100 accounts");
    }
}
