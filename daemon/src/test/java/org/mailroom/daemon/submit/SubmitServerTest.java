package org.mailroom.daemon.submit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.mailroom.core.store.MessageContent;

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
        server = SubmitServer.start(socket, new LocalSubmission(sink, "mx.example.test", "example.test", ZoneId.of("UTC")),
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
        assertEquals(user + "@mx.example.test", env.reversePath()); // SO_PEERCRED, not anything the client said
        assertEquals(List.of("alice@example.test", "root@example.test"), env.recipients());
        assertEquals("sendmail", env.session().listener());
        assertEquals("local", env.session().protocol());
        assertNull(env.session().authUser());
        assertNull(env.session().client());
        assertTrue(env.session().helo().contains("user " + user), env.session().helo());
        String content = contents.get(0);
        assertTrue(content.startsWith("From: \"Example, Ann\" <" + user + "@mx.example.test>\nDate: "), content);
        assertTrue(content.contains("\nMessage-ID: <" + env.id() + "@mx.example.test>\nSubject: hi\n\nbody\n"), content);
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
