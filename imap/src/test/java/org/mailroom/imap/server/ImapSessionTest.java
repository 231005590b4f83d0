package org.mailroom.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.imap.wire.Command;

/**
 * Session behaviour that transcripts cannot show well: limits that need many octets, COMPRESS on
 * a zlib stream, IDLE wake-ups pushed from another thread, the expunge rule of RFC 9051 7.5.1,
 * streaming with backpressure, per-user connection limits and autologout.
 */
class ImapSessionTest {
    @TempDir
    Path tmp;

    private ImapHarness harness;

    private ImapHarness start(UnaryOperator<ImapSettings> tune, Consumer<ImapHandlers> extra) throws Exception {
        harness = new ImapHarness(Files.createTempDirectory(tmp, "h"), tune, new AuthThrottle(), extra);
        harness.addUser("alice@example.test", "secret");
        return harness;
    }

    private ImapHarness start() throws Exception {
        return start(s -> s, h -> { });
    }

    /** Waits (up to 10 s, however loaded the machine) until the condition holds; says whether it did. */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    private ImapClient connect() throws Exception {
        return new ImapClient(harness.address("imap"));
    }

    @AfterEach
    void stop() {
        if (harness != null) harness.close();
    }

    @Test
    void lineTooLongIsBadWithItsTagAndTheNextCommandRuns() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.line();
            c.send("a1 NOOP " + "x".repeat(70_000)).send("a2 NOOP");
            assertEquals("a1 BAD Line too long", c.line());
            assertEquals("a2 OK NOOP completed", c.line());
        }
    }

    @Test
    void beforeLoginLinesAreLimitedLikeLiteralsAfterLoginToMaxLineLength() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.line();
            c.send("a1 ID (\"x\" \"" + "y".repeat(9000) + "\")");
            assertEquals("a1 BAD Line too long", c.line());
            c.send("a2 LOGIN alice@example.test secret");
            assertTrue(c.line().startsWith("a2 OK"));
            c.send("a3 NOOP " + "y".repeat(9000));
            String r = c.line();
            assertTrue(r.startsWith("a3 BAD") && !r.equals("a3 BAD Line too long"), "long enough now, the parser answers: " + r);
        }
    }

    @Test
    void literalPlusAtTheEndOfATooLongLineIsSkippedNotExecuted() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.line();
            // RFC 7888 4: the octets of the literal must not be taken as a command ("a9 LOGOUT")
            c.send("a1 LOGIN " + "x".repeat(70_000) + " {11+}").send("a9 LOGOUT").send(" more").send("a2 NOOP");
            assertEquals("a1 BAD Line too long", c.line());
            assertEquals("a2 OK NOOP completed", c.line());
        }
    }

    @Test
    void literalPlusOverThePreAuthLimitIsReadAndDropped() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.line();
            String payload = "a9 LOGOUT\r\n".repeat(900); // 9900 octets, over the 8 KiB before login
            c.raw(("a1 LOGIN {" + payload.length() + "+}\r\n" + payload + " x\r\na2 NOOP\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("a1 BAD [TOOBIG] Literal too large", c.line());
            assertEquals("a2 OK NOOP completed", c.line());
            c.send("a3 LOGIN {8192+}").raw(("a".repeat(8192) + " secret\r\n").getBytes(StandardCharsets.US_ASCII));
            assertEquals("a3 NO [AUTHENTICATIONFAILED] Authentication failed", c.line());
        }
    }

    @Test
    void anAbsurdNonSynchronizingLiteralEndsTheConnection() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.line();
            c.send("a1 LOGIN {99999999999+}");
            assertEquals("* BYE [TOOBIG] Literal too large", c.line());
            assertNull(c.line());
        }
    }

    @Test
    void appendLimitAppliesAfterLoginAndLiteralsPerCommandAreBounded() throws Exception {
        start(s -> new ImapSettings(s.hostname(), s.listenerName(), s.idleTimeout(), s.maxLineLength(), 100,
                s.maxConnectionsPerUser(), true, 8192, 3, 1024 * 1024, null, ImapSettings.DEFAULT_SPILL_THRESHOLD), h -> { });
        try (ImapClient c = connect()) {
            c.login();
            // RFC 7889 4: over APPENDLIMIT is NO [TOOBIG], and no "+" is sent
            c.send("a1 APPEND INBOX {101}");
            assertEquals("a1 NO [TOOBIG] Message too large", c.line());
            c.send("a2 APPEND INBOX {10}");
            assertEquals("+ Ready for literal data", c.line());
            c.send("0123456789");
            assertTrue(c.line().matches("a2 OK \\[APPENDUID \\d+ 1] APPEND completed"));
            c.send("a3 LOGIN {1+}").send("a {1+}").send("b {1+}").send("c {1+}").send("d").send("a4 NOOP");
            assertEquals("a3 BAD Too many literals", c.line());
            assertEquals("a4 OK NOOP completed", c.line());
        }
    }

    @Test
    void idleSendsUpdatesAsTheyComeUntilDone() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.login();
            c.send("s1 SELECT INBOX");
            assertEquals("s1 OK [READ-WRITE] SELECT completed", c.tagged("s1"));
            TestMailbox m = harness.mailbox;
            m.push("1 EXISTS"); // pending before IDLE: sent right after "+ idling"
            c.send("i1 IDLE");
            assertEquals("+ idling", c.line());
            assertEquals("* 1 EXISTS", c.line());
            m.push("2 EXISTS"); // from this (a foreign) thread, as the store's writer would
            assertEquals("* 2 EXISTS", c.line());
            m.push("1 EXPUNGE");
            assertEquals("* 1 EXPUNGE", c.line());
            c.send("DONE");
            assertEquals("i1 OK IDLE terminated", c.line());
            m.push("3 EXISTS"); // no IDLE any more: waits for the next command
            c.send("n1 NOOP");
            assertEquals("* 3 EXISTS", c.line());
            assertEquals("n1 OK NOOP completed", c.line());
        }
    }

    @Test
    void noExpungeWhileFetchStoreOrSearchRunsButWithTheirUidForms() throws Exception {
        // the test mailbox has no messages to fetch: stand-ins that only end the command
        start(s -> s, h -> h.on(Command.Fetch.class, ImapHandlers.NOT_IMPLEMENTED)
                .on(Command.Search.class, ImapHandlers.NOT_IMPLEMENTED));
        try (ImapClient c = connect()) {
            c.login();
            c.send("s1 SELECT INBOX");
            c.tagged("s1");
            TestMailbox m = harness.mailbox;
            m.push("1 EXPUNGE");
            m.push("4 EXISTS");
            // RFC 9051 7.5.1: not during FETCH, STORE, SEARCH
            c.send("f1 FETCH 1 FLAGS");
            assertEquals("* 4 EXISTS", c.line());
            assertEquals("f1 NO [CANNOT] not implemented yet", c.line());
            assertFalse(m.lastExpungeAllowed);
            c.send("f2 SEARCH ALL");
            assertEquals("f2 NO [CANNOT] not implemented yet", c.line());
            c.send("f3 UID FETCH 1 FLAGS"); // allowed during the UID versions
            assertEquals("* 1 EXPUNGE", c.line());
            assertEquals("f3 NO [CANNOT] not implemented yet", c.line());
            assertTrue(m.lastExpungeAllowed);
            c.send("f4 BOGUS");
            assertTrue(c.line().startsWith("f4 BAD"));
            c.send("u1 UNSELECT");
            assertEquals("u1 OK UNSELECT completed", c.line());
            assertTrue(eventually(() -> m.closed), "UNSELECT closes the mailbox (on the blocking executor)");
        }
    }

    @Test
    void compressDeflateCompressesBothWaysAfterTheTaggedOk() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.login();
            c.send("c1 COMPRESS DEFLATE");
            assertEquals("c1 OK DEFLATE active", c.line()); // RFC 4978 3: the OK itself is not compressed
            c.compress();
            c.send("c2 NOOP");
            assertEquals("c2 OK NOOP completed", c.line());
            c.send("c3 COMPRESS DEFLATE");
            assertEquals("c3 NO [COMPRESSIONACTIVE] DEFLATE is already active", c.line());
            c.send("c4 ID NIL");
            assertTrue(c.line().startsWith("* ID (\"name\" \"Mailroom\""));
            assertEquals("c4 OK ID completed", c.line());
        }
    }

    @Test
    void aHundredThousandStreamedResponsesArriveInOrderBeforeTheTaggedOk() throws Exception {
        int n = 100_000;
        start(s -> s, h -> h.on(Command.Fetch.class, (ctx, cmd) -> {
            int[] next = {1};
            return Completion.later(ctx.stream(out -> {
                while (next[0] <= n && out.writerIndex() < ResponseBatches.BATCH_OCTETS) {
                    out.writeBytes(("* " + next[0] + " FETCH (FLAGS (\\Seen) UID " + next[0] + ")\r\n").getBytes(StandardCharsets.US_ASCII));
                    next[0]++;
                }
                return next[0] <= n;
            }, true).thenApply(v -> Completion.ok()));
        }));
        try (ImapClient c = connect()) {
            c.login();
            c.send("s1 SELECT INBOX");
            c.tagged("s1");
            c.send("f1 FETCH 1:* FLAGS").send("f2 NOOP"); // the pipelined NOOP waits for the stream
            Thread.sleep(300); // let the server fill the socket and wait for writability
            for (int i = 1; i <= n; i++) {
                String l = c.line();
                if (!l.equals("* " + i + " FETCH (FLAGS (\\Seen) UID " + i + ")")) throw new AssertionError(i + ": " + l);
            }
            assertEquals("f1 OK FETCH completed", c.line());
            assertEquals("f2 OK NOOP completed", c.line());
        }
    }

    @Test
    void oneAccountGetsAtMostMaxConnectionsPerUser() throws Exception {
        start(); // the harness allows 3
        List<ImapClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) open.add(connect().login());
            ImapClient fourth = connect();
            open.add(fourth);
            fourth.line();
            fourth.send("x LOGIN alice@example.test secret");
            assertEquals("x NO [LIMIT] Too many connections for this user", fourth.line());
            open.get(0).send("q LOGOUT");
            open.get(0).tagged("q");
            assertTrue(eventually(() -> harness.users.count("alice@example.test") <= 2), "LOGOUT gave its slot back");
            fourth.send("y LOGIN alice@example.test secret");
            assertTrue(fourth.line().startsWith("y OK"));
        } finally {
            for (ImapClient c : open) c.close();
        }
    }

    @Test
    void largeAppendMessagesGoThroughTheSpoolDirectoryAndLeaveNothingThere() throws Exception {
        Path spool = tmp.resolve("spool");
        start(s -> s.withSpool(spool, 4096), h -> { });
        // 300 KB in lines of 100 octets: 73 spills of the 4 KiB memory part, with input paused for each
        StringBuilder sb = new StringBuilder("Subject: big\r\n\r\n");
        for (int i = 0; sb.length() < 300_000; i++) sb.append(String.format("%098d\r\n", i));
        byte[] message = sb.toString().getBytes(StandardCharsets.US_ASCII);
        String stored = sb.toString().replace("\r\n", "\n");
        Path cur = harness.maildir("alice@example.test").resolve("cur");
        try (ImapClient c = connect()) {
            c.login();
            c.send("a1 APPEND INBOX {" + message.length + "}");
            assertEquals("+ Ready for literal data", c.line());
            c.raw(message).send("");
            assertTrue(c.line().matches("a1 OK \\[APPENDUID \\d+ 1] APPEND completed"));
            // non-synchronizing (RFC 7888), pipelined with the next command
            c.raw(("a2 APPEND INBOX {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII)).raw(message)
                    .send("").send("a3 NOOP");
            assertTrue(c.line().matches("a2 OK \\[APPENDUID \\d+ 2] APPEND completed"));
            assertEquals("a3 OK NOOP completed", c.line());
            // refused after it arrived: the spooled copy goes too
            c.raw(("a4 APPEND Nowhere {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII)).raw(message).send("");
            assertEquals("a4 NO [TRYCREATE] mailbox does not exist", c.line());
            List<String> files;
            try (var s = Files.list(cur)) {
                files = s.map(p -> {
                    try {
                        return Files.readString(p, StandardCharsets.US_ASCII);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
            }
            assertEquals(List.of(stored, stored), files, "both stored whole, in the store's LF form");
            assertTrue(eventually(() -> isEmpty(spool)), "spool files deleted after the commands");
            // the client leaves in the middle of a message
            c.raw(("a5 APPEND INBOX {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII))
                    .raw(java.util.Arrays.copyOf(message, 100_000));
            assertTrue(eventually(() -> !isEmpty(spool)), "the first 100,000 octets went to a file");
        }
        assertTrue(eventually(() -> isEmpty(spool)), "and the file is deleted when the connection ends");
    }

    private static boolean isEmpty(Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void autologoutAfterTheIdleTimeout() throws Exception {
        start(s -> new ImapSettings(s.hostname(), s.listenerName(), Duration.ofMillis(300), s.maxLineLength(),
                s.appendLimit(), s.maxConnectionsPerUser(), true), h -> { });
        try (ImapClient c = connect()) {
            c.login();
            c.send("i IDLE");
            assertEquals("+ idling", c.line());
            assertEquals("* BYE Autologout; idle for too long", c.line());
            assertNull(c.line());
        }
    }

    @Test
    void tooManyBadCommandsEndTheConnection() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.line();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int i = 0; i < ImapSession.MAX_BAD_IN_A_ROW; i++) b.writeBytes(("b" + i + " FROB\r\n").getBytes(StandardCharsets.US_ASCII));
            c.raw(b.toByteArray());
            for (int i = 0; i < ImapSession.MAX_BAD_IN_A_ROW; i++) assertTrue(c.line().startsWith("b" + i + " BAD"));
            assertEquals("* BYE Too many invalid commands", c.line());
            assertNull(c.line());
        }
    }

    @Test
    void scramSha256SendsTheServerSignatureAsAChallengeThenOk() throws Exception {
        start();
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        java.util.Base64.Decoder unb64 = java.util.Base64.getDecoder();
        try (ImapClient c = connect()) {
            c.line();
            // RFC 5802 3 with RFC 4959 SASL-IR: client-first in the command
            String nonce = "fyko+d2lbbFgONRv9qkxdawL";
            String bare = "n=alice@example.test,r=" + nonce;
            c.send("s1 AUTHENTICATE SCRAM-SHA-256 " + b64.encodeToString(("n,," + bare).getBytes(StandardCharsets.UTF_8)));
            String l = c.line();
            assertTrue(l.startsWith("+ "), l);
            String serverFirst = new String(unb64.decode(l.substring(2)), StandardCharsets.UTF_8);
            java.util.Map<String, String> f = new java.util.HashMap<>();
            for (String kv : serverFirst.split(",")) f.put(kv.substring(0, 1), kv.substring(2));
            byte[] salted = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                    new javax.crypto.spec.PBEKeySpec("secret".toCharArray(), unb64.decode(f.get("s")),
                            Integer.parseInt(f.get("i")), 256)).getEncoded();
            byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.UTF_8));
            byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
            String finalWithoutProof = "c=biws,r=" + f.get("r");
            byte[] authMessage = (bare + "," + serverFirst + "," + finalWithoutProof).getBytes(StandardCharsets.UTF_8);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) proof[i] = (byte) (clientKey[i] ^ signature[i]);
            c.send(b64.encodeToString((finalWithoutProof + ",p=" + b64.encodeToString(proof)).getBytes(StandardCharsets.UTF_8)));
            l = c.line();
            // IMAP has no "additional data with success": the server-final message is one more challenge
            String expected = "v=" + b64.encodeToString(hmac(hmac(salted, "Server Key".getBytes(StandardCharsets.UTF_8)), authMessage));
            assertEquals("+ " + b64.encodeToString(expected.getBytes(StandardCharsets.UTF_8)), l);
            c.send("");
            assertTrue(c.line().startsWith("s1 OK [CAPABILITY IMAP4rev1 IMAP4rev2"), "logged in");
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    @Test
    void shutdownSaysByeToAnIdleSession() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.login();
            c.send("i IDLE");
            assertEquals("+ idling", c.line());
            Thread t = new Thread(() -> harness.server().shutdown(Duration.ofSeconds(5)));
            t.start();
            assertEquals("* BYE Server shutting down", c.line());
            assertNull(c.line());
            t.join();
        }
    }
}
