package org.mailroom.daemon.submit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.spi.Envelope;
import org.mailroom.core.spi.MessageSink;
import org.mailroom.core.spi.Outcome;
import org.mailroom.core.spi.SessionInfo;
import org.mailroom.core.spi.SessionInfo.LocalUser;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.unix.Passwd;

/** The submit server on a real UNIX domain socket with a sink that records what it was given. */
class SubmitServerTest {
    @TempDir
    Path data;
    Path socket;
    SubmitServer server;
    final List<String> checked = new CopyOnWriteArrayList<>();
    final List<Envelope> accepted = new CopyOnWriteArrayList<>();
    final List<String> contents = new CopyOnWriteArrayList<>();
    volatile SessionInfo session;

    final MessageSink sink = new MessageSink() {
        @Override
        public Outcome checkRecipient(SessionInfo s, String reversePath, String recipient) {
            session = s;
            checked.add(reversePath + " -> " + recipient);
            if (recipient.startsWith("nobody@")) return new Outcome(550, "5.1.1", "<" + recipient + ">: User unknown");
            return Outcome.ok("2.1.5", "Ok");
        }

        @Override
        public Outcome accept(Envelope env, MessageContent content) {
            try (InputStream in = content.open()) {
                contents.add(new String(in.readAllBytes(), UTF_8));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            accepted.add(env);
            return Outcome.ok("2.0.0", "Ok: queued as " + env.id());
        }
    };

    @BeforeEach
    void start() throws IOException {
        socket = SubmitServer.socketPath(data);
        Files.createDirectories(socket.getParent());
        startWith(List.of());
    }

    /** @param trusted local.trustedUsers */
    void startWith(List<String> trusted) throws IOException {
        Passwd passwd = new Passwd(Path.of("/etc/passwd"), Path.of("/etc/group"));
        server = SubmitServer.start(socket, new LocalSubmission(sink, "mx.example.test", "example.test",
                new TrustedUsers(trusted, "mailroom-daemon-user", passwd), passwd, ZoneId.of("UTC")),
                new SubmitServer.Limits(1000, 3), data.resolve("tmp"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    String submit(SubmitRequest req, String message) throws IOException {
        return SubmitClient.submit(socket, req, message.getBytes(UTF_8));
    }

    @Test
    void theSocketIsOpenToEveryUser() throws IOException {
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void aMessageGoesToTheSinkAsTheKernelSaysWhoSentIt() throws IOException {
        String user = System.getProperty("user.name");
        String msg = "Subject: hi\n\nbody\n";
        String answer = submit(new SubmitRequest(null, "Example, Ann", List.of("alice@example.test", "root"), msg.length()), msg);
        assertTrue(answer.matches("OK [0-9A-V]{12}"), answer);
        Envelope env = accepted.get(0);
        assertEquals(answer.substring(3), env.id());
        // SO_PEERCRED, not anything the client said; user@myorigin, and so are unqualified recipients
        assertEquals(user + "@example.test", env.reversePath());
        assertEquals(List.of("alice@example.test", "root@example.test"), env.recipients());
        assertEquals("sendmail", env.session().listener());
        assertEquals("local", env.session().protocol());
        assertNull(env.session().authUser());
        assertNull(env.session().client());
        assertNull(env.session().helo());
        assertEquals(user, env.session().localUser().name());
        assertEquals(uid(), env.session().localUser().uid());
        String content = contents.get(0);
        assertTrue(content.startsWith("From: \"Example, Ann\" <" + user + "@example.test>\nDate: "), content);
        assertTrue(content.contains("\nMessage-ID: <" + env.id() + "@mx.example.test>\nSubject: hi\n\nbody\n"), content);
    }

    /** The test JVM's uid, as the kernel reports it (the owner of a file it creates). */
    long uid() throws IOException {
        Path f = Files.createTempFile(data, "uid", "");
        return ((Number) Files.getAttribute(f, "unix:uid")).longValue();
    }

    /** LocalSubmission as it is called for Unix user alice (uid 1000 in a passwd file of the test). */
    LocalSubmission.Result submitAsAlice(SubmitRequest req, String msg) throws IOException {
        Path p = data.resolve("passwd"), g = data.resolve("group");
        Files.writeString(p, "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        Files.writeString(g, "alice:x:1000:\n");
        Passwd passwd = new Passwd(p, g);
        LocalSubmission ls = new LocalSubmission(sink, "mx.example.test", "example.test",
                new TrustedUsers(List.of(), "mailroom", passwd), passwd, ZoneId.of("UTC"));
        ContentBuffer c = new ContentBuffer(data, 1 << 20);
        c.append(msg.getBytes(UTF_8));
        return ls.submit(req, "alice", c);
    }

    @Test
    void minusFFromAnUntrustedUserIsTakenWithAnAuthenticationWarning() throws IOException {
        String msg = "Subject: x\n\nbody\n";
        assertTrue(submitAsAlice(new SubmitRequest("ceo@example.test", null, List.of("bob"), msg.length()), msg).outcome().isOk());
        Envelope env = accepted.get(0);
        assertEquals("ceo@example.test", env.reversePath());
        assertEquals(new LocalUser(1000, "alice"), env.session().localUser());
        assertEquals(List.of("bob@example.test"), env.recipients());
        // sendmail's wording (conf.c / srvrsmtp.c: "%s set sender to %s using -%c")
        assertTrue(contents.get(0).startsWith("X-Authentication-Warning: mx.example.test: alice"
                + " set sender to ceo@example.test using -f\nFrom: ceo@example.test\n"), contents.get(0));
    }

    @Test
    void theUntrustedNullSenderIsWarnedAboutTooButNotTheUsersOwnAddress() throws IOException {
        String msg = "Subject: x\n\nbody\n";
        assertTrue(submitAsAlice(new SubmitRequest("", null, List.of("bob"), msg.length()), msg).outcome().isOk());
        assertTrue(contents.get(0).startsWith("X-Authentication-Warning: mx.example.test: alice set sender to <> using -f\n"
                + "From: alice@example.test\n"), contents.get(0));
        assertTrue(submitAsAlice(new SubmitRequest("Alice@Example.test", null, List.of("bob"), msg.length()), msg).outcome().isOk());
        assertFalse(contents.get(1).contains("X-Authentication-Warning"), contents.get(1));
    }

    @Test
    void minusFFromATrustedUserOrOfTheUsersOwnAddressHasNoWarning() throws IOException {
        String user = System.getProperty("user.name");
        String msg = "Subject: x\n\nbody\n";
        // unqualified -f gets myorigin, like the recipients; the user's own address needs no trust
        assertTrue(submit(new SubmitRequest(user, null, List.of("bob"), msg.length()), msg).startsWith("OK "));
        assertEquals(user + "@example.test", accepted.get(0).reversePath());
        assertFalse(contents.get(0).contains("X-Authentication-Warning"), contents.get(0));
        server.close();
        startWith(List.of(user));
        assertTrue(submit(new SubmitRequest("", null, List.of("bob"), msg.length()), msg).startsWith("OK "));
        assertEquals("", accepted.get(1).reversePath());
        assertFalse(contents.get(1).contains("X-Authentication-Warning"), contents.get(1));
    }

    @Test
    void trustedUsersAreRootTheDaemonsUserTheListAndGroupMembers() throws IOException {
        Path p = data.resolve("passwd"), g = data.resolve("group");
        Files.writeString(p, "root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n"
                + "bob:x:1001:1001::/home/bob:/bin/sh\ncarol:x:1002:50::/home/carol:/bin/sh\n");
        Files.writeString(g, "ops:x:50:bob\n");
        TrustedUsers t = new TrustedUsers(List.of("dave", "%ops"), "mailroom", new Passwd(p, g));
        assertTrue(t.isTrusted(new LocalUser(0, "root")));
        assertTrue(t.isTrusted(new LocalUser(998, "mailroom")));
        assertTrue(t.isTrusted(new LocalUser(1003, "dave")));
        assertTrue(t.isTrusted(new LocalUser(1001, "bob")), "listed in %ops");
        assertTrue(t.isTrusted(new LocalUser(1002, "carol")), "primary group ops");
        assertFalse(t.isTrusted(new LocalUser(1000, "alice")));
    }

    @Test
    void fieldsTheMessageHasAreNotAdded() throws IOException {
        String msg = "From: a@x.org\nDate: Mon, 1 Jan 2024 00:00:00 +0000\nMessage-Id: <1@x.org>\n\nbody\n";
        assertTrue(submit(new SubmitRequest("a@x.org", null, List.of("b@x.org"), msg.length()), msg).startsWith("OK "));
        assertEquals(msg, contents.get(0));
        assertEquals("a@x.org", accepted.get(0).reversePath());
    }

    @Test
    void aRefusedRecipientRefusesTheMessage() throws IOException {
        String msg = "x\n";
        String answer = submit(new SubmitRequest("", null, List.of("alice@example.test", "nobody@example.test"), 2), msg);
        assertEquals("ERR 550 5.1.1 <nobody@example.test>: User unknown", answer);
        assertTrue(accepted.isEmpty());
        assertEquals(" -> alice@example.test", checked.get(0)); // the null sender
    }

    @Test
    void limitsAreEnforcedBeforeTheMessageIsRead() throws IOException {
        String big = "x".repeat(1001);
        assertTrue(submit(new SubmitRequest(null, null, List.of("a@b.org"), big.length()), big).startsWith("ERR 552 5.3.4 "));
        assertTrue(submit(new SubmitRequest(null, null, List.of("a@b.org", "b@b.org", "c@b.org", "d@b.org"), 1), "x")
                .startsWith("ERR 452 4.5.3 "));
        assertTrue(accepted.isEmpty());
    }

    @Test
    void malformedOrShortInputIsRefused() throws IOException {
        assertTrue(raw("hello\n\n").startsWith("ERR 500 "));
        assertTrue(raw("submit 1\nrcpt a@b.org\nsize 10\n\nshort").startsWith("ERR 451 4.3.0 the message ended early"));
        assertTrue(raw("submit 1\nrcpt <a@b.org>\nsize 1\n\nx").startsWith("ERR 553 "));
        assertTrue(raw("submit 1\n" + "x".repeat(5000)).startsWith("ERR 500 "));
        assertTrue(accepted.isEmpty());
    }

    @Test
    void noDaemonMeansNotRunning() throws IOException {
        server.close();
        assertThrows(SubmitClient.NotRunning.class, () -> submit(new SubmitRequest(null, null, List.of("a@b.org"), 1), "x"));
    }

    String raw(String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(request.getBytes(UTF_8));
            while (b.hasRemaining()) ch.write(b);
            ch.shutdownOutput();
            return new String(Channels.newInputStream(ch).readAllBytes(), UTF_8);
        }
    }
}
