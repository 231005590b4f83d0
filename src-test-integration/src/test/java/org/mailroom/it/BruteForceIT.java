package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue "Submission": 50 wrong passwords in a row from one address are slowed down, the delay
 * grows, the address is then locked out, and the right password from another address still works.
 * The delays are configured short (100 ms doubling to 400 ms, lockout after 20) so the test is quick;
 * the defaults are 1 s doubling to 15 s, lockout after 10 for 5 minutes.
 */
class BruteForceIT {
    private static final String ALICE = "alice@example.test";

    @TempDir
    Path dir;
    MailroomProcess mailroom;

    @BeforeEach
    void start() throws Exception {
        mailroom = new MailroomProcess(dir, "auth.failureDelay = 100ms", "auth.failureDelayMax = 400ms",
                "auth.lockoutAfter = 20", "auth.lockoutTime = 10m");
        mailroom.addUser(ALICE, "the-right-one");
        mailroom.start();
    }

    @AfterEach
    void stop() throws Exception {
        mailroom.close();
    }

    private static String plain(String password) {
        return Base64.getEncoder().encodeToString(("\0" + ALICE + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void guessingIsSlowedThenLockedOutWhileTheOwnerStillGetsIn() throws Exception {
        List<Long> millis = new ArrayList<>();
        List<String> replies = new ArrayList<>();
        Raw smtp = null;
        try {
            while (replies.size() < 50) {
                if (smtp == null) { // a new session when the server hung up (smtp.maxErrors: 421 after 20 errors)
                    smtp = new Raw(mailroom.port("submission"), "127.0.0.1");
                    smtp.reply();
                    smtp.send("EHLO attacker.example\r\n");
                    smtp.reply();
                }
                long t0 = System.nanoTime();
                smtp.send("AUTH PLAIN " + plain("guess" + replies.size()) + "\r\n");
                String r = smtp.reply();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (r == null || r.startsWith("421")) { // the session ended: this guess was not answered, send it again
                    smtp.close();
                    smtp = null;
                    continue;
                }
                replies.add(r);
                millis.add(ms);
            }
        } finally {
            if (smtp != null) smtp.close();
        }
        // 20 refusals, then the lockout for the other 30
        for (int i = 0; i < 20; i++) assertTrue(replies.get(i).startsWith("535 5.7.8"), i + ": " + replies);
        for (int i = 20; i < 50; i++) assertTrue(replies.get(i).startsWith("454 4.7.0"), i + ": " + replies);
        // the delay grows: the first two are free, then 100, 200, 400 ms ... (lower bounds only: every
        // reply also carries one password hash, whose time depends on the machine's load)
        // (differences of 300 and 400 ms checked against 150 and 200: the hash's time varies by ~60 ms)
        assertTrue(millis.get(4) - millis.get(2) >= 150, "the fifth failure waits ~300 ms more than the third: " + millis);
        // the quicker of the two free replies: the very first one may also pay for a cold JIT (CI saw 415 ms)
        long free = Math.min(millis.get(0), millis.get(1));
        long slowest = millis.subList(5, 20).stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(slowest - free >= 200, "every later failure waits the maximum, 400 ms: " + millis);
        System.out.println("BruteForceIT reply times (ms): " + millis);

        try (Raw owner = new Raw(mailroom.port("submission"), "127.0.0.2")) { // another client address
            owner.reply();
            owner.send("EHLO laptop.example\r\n");
            owner.reply();
            long t0 = System.nanoTime();
            owner.send("AUTH PLAIN " + plain("the-right-one") + "\r\n");
            String r = owner.reply();
            assertTrue(r.startsWith("235 2.7.0"), r);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "the owner is not slowed down");
        }
        try (Raw again = new Raw(mailroom.port("submission"), "127.0.0.1")) { // the guessing address stays locked out
            again.reply();
            again.send("EHLO attacker.example\r\n");
            again.reply();
            again.send("AUTH PLAIN " + plain("the-right-one") + "\r\n");
            assertEquals("454", again.reply().substring(0, 3));
        }
    }
}
