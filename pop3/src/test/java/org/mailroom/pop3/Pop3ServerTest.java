package org.mailroom.pop3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.account.AuthThrottle;

/** Behaviour over real sockets that a transcript cannot express: restarts, shutdown, big messages, timeouts. */
class Pop3ServerTest {
    private static final String ALICE = "alice@example.test";

    @TempDir
    Path tmp;

    @Test
    void uidlIsTheSameAfterTheStoreIsReopened() throws Exception {
        List<String> before;
        try (Pop3Harness h = new Pop3Harness(tmp)) {
            h.addUser(ALICE, "secret");
            h.deliverResource(ALICE, "rfc1939-1.eml");
            h.deliverResource(ALICE, "rfc1939-2.eml");
            try (Client c = Client.login(h.address("pop3"))) {
                before = c.multiLine("UIDL");
                assertEquals(before, c.multiLine("UIDL"));
            }
        }
        // a restart: a new store and server on the same directory
        try (Pop3Harness h = new Pop3Harness(tmp); Client c = Client.login(h.address("pop3"))) {
            assertEquals(2, before.size());
            assertEquals(before, c.multiLine("UIDL"));
        }
    }

    @Test
    void shutdownInTransactionDeletesNothing() throws Exception {
        try (Pop3Harness h = new Pop3Harness(tmp)) {
            h.addUser(ALICE, "secret");
            h.deliverResource(ALICE, "rfc1939-1.eml");
            h.deliverResource(ALICE, "rfc1939-2.eml");
            try (Client c = Client.login(h.address("pop3"))) {
                assertEquals("+OK Message 1 deleted", c.command("DELE 1"));
                CompletableFuture<Boolean> stop = CompletableFuture.supplyAsync(() -> h.server().shutdown(Duration.ofSeconds(5)));
                assertEquals("-ERR [SYS/TEMP] Server shutting down", c.readLine());
                assertNull(c.readLine());
                assertTrue(stop.get());
            }
            assertEquals(2, h.messageFiles(ALICE));
        }
    }

    /**
     * A message of several MiB, many of its lines starting with ".", comes out intact after
     * un-stuffing, and a command pipelined behind the RETR is answered after the whole body.
     */
    @Test
    void largeMessageStreamsInChunksAndIntact() throws Exception {
        ByteArrayOutputStream msg = new ByteArrayOutputStream();
        msg.writeBytes("Subject: big\n\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; msg.size() < 3 * RetrieveHandler.CHUNK * 16; i++) {
            msg.writeBytes(((i % 3 == 0 ? "." : "") + "line " + i + " " + "x".repeat(i % 97) + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        byte[] stored = msg.toByteArray();
        try (Pop3Harness h = new Pop3Harness(tmp)) {
            h.addUser(ALICE, "secret");
            h.deliver(ALICE, stored);
            try (Client c = Client.login(h.address("pop3"))) {
                c.send("RETR 1\r\nSTAT\r\n");
                String status = c.readLine();
                long crlfSize = stored.length + countLf(stored);
                assertEquals("+OK " + crlfSize + " octets", status);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (String l; !(l = c.readLine()).equals("."); ) {
                    if (l.startsWith(".")) l = l.substring(1); // RFC 1939 3: undo byte-stuffing
                    body.writeBytes((l + "\n").getBytes(StandardCharsets.US_ASCII));
                }
                assertArrayEquals(stored, body.toByteArray());
                assertEquals("+OK 1 " + crlfSize, c.readLine());
                assertEquals("+OK Bye", c.command("QUIT"));
            }
        }
    }

    @Test
    void idleClientIsLoggedOutAndKeepsItsMail() throws Exception {
        try (Pop3Harness h = new Pop3Harness(tmp, Duration.ofMillis(500))) {
            h.addUser(ALICE, "secret");
            h.deliverResource(ALICE, "rfc1939-1.eml");
            try (Client c = Client.login(h.address("pop3"))) {
                assertEquals("+OK Message 1 deleted", c.command("DELE 1"));
                assertEquals("-ERR Disconnected for inactivity", c.readLine());
                assertNull(c.readLine());
            }
            assertEquals(1, h.messageFiles(ALICE));
        }
    }

    /** RFC 1939 8 allows the maildrop to change under the lock (IMAP, mutt): a vanished message is a clean -ERR. */
    @Test
    void messageRemovedByAnotherClientIsAnErrorNotACrash() throws Exception {
        try (Pop3Harness h = new Pop3Harness(tmp)) {
            h.addUser(ALICE, "secret");
            h.deliverResource(ALICE, "rfc1939-1.eml");
            h.deliverResource(ALICE, "rfc1939-2.eml");
            try (Client c = Client.login(h.address("pop3"))) {
                try (var imap = h.store().openInbox(ALICE)) {
                    imap.expunge(List.of(imap.messages().get(0).uid()));
                }
                assertEquals("-ERR Message 1 was removed by another session", c.command("RETR 1"));
                assertEquals("+OK 200 octets", c.command("RETR 2"));
                for (String l; !(l = c.readLine()).equals("."); ) assertTrue(l.length() < 100);
                assertEquals("+OK Message 1 deleted", c.command("DELE 1"));
                assertEquals("+OK Bye", c.command("QUIT"));
            }
            assertEquals(1, h.messageFiles(ALICE));
        }
    }

    private static long countLf(byte[] b) {
        long n = 0;
        for (byte x : b) if (x == '\n') n++;
        return n;
    }

    /** A minimal line client. */
    /**
     * Repeated wrong passwords: the first two answers come at once, later ones only after the
     * throttle's growing delay (a lower bound, never an upper one), then the address is locked out
     * with [SYS/TEMP] even for the right password, also on a new connection and over AUTH PLAIN.
     */
    @Test
    void failedLoginsAreDelayedThenLockedOut() throws Exception {
        AuthThrottle throttle = new AuthThrottle(new AuthThrottle.Policy(2, Duration.ofMillis(300), Duration.ofMillis(600),
                5, Duration.ofMinutes(5), 100, Duration.ofMinutes(15), 1000), System::nanoTime);
        try (Pop3Harness h = new Pop3Harness(tmp, Duration.ofMinutes(10), throttle)) {
            h.addUser(ALICE, "secret");
            try (Client c = new Client(h.address("pop3"))) {
                assertTrue(c.readLine().startsWith("+OK "));
                List<Long> millis = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    assertEquals("+OK", c.command("USER " + ALICE));
                    long t0 = System.nanoTime();
                    assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS wrong"));
                    millis.add((System.nanoTime() - t0) / 1_000_000);
                }
                assertTrue(millis.get(2) >= 300, "third failure waits 300 ms: " + millis);
                assertTrue(millis.get(3) >= 600, "fourth failure waits 600 ms: " + millis);
                assertEquals("+OK", c.command("USER " + ALICE));
                assertEquals("-ERR [AUTH] Authentication failed.", c.command("PASS wrong")); // the fifth locks
                assertEquals("+OK", c.command("USER " + ALICE));
                assertEquals("-ERR [SYS/TEMP] Too many failed logins, try again later", c.command("PASS secret"));
            }
            try (Client c = new Client(h.address("pop3"))) {
                assertTrue(c.readLine().startsWith("+OK "));
                assertEquals("-ERR [SYS/TEMP] Too many failed logins, try again later",
                        c.command("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABzZWNyZXQ="));
            }
        }
    }

    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        private Client(InetSocketAddress a) throws IOException {
            socket = new Socket();
            socket.connect(a, 5000);
            socket.setSoTimeout(15_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        static Client login(InetSocketAddress a) throws IOException {
            Client c = new Client(a);
            assertTrue(c.readLine().startsWith("+OK "));
            assertEquals("+OK", c.command("USER " + ALICE));
            assertEquals("+OK Logged in.", c.command("PASS secret"));
            return c;
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String command(String line) throws IOException {
            send(line + "\r\n");
            return readLine();
        }

        List<String> multiLine(String line) throws IOException {
            assertTrue(command(line).startsWith("+OK"));
            List<String> lines = new ArrayList<>();
            for (String l; !(l = readLine()).equals("."); ) lines.add(l);
            return lines;
        }

        String readLine() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
                b.write(c);
            }
            String s = b.toString(StandardCharsets.US_ASCII);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
