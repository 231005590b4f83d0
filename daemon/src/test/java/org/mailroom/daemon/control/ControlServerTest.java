package org.mailroom.daemon.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.delivery.queue.QueueStore;

/** The control server on a real UNIX domain socket, with a real (empty) queue behind it. */
class ControlServerTest {
    @TempDir
    Path data;
    Path socket;
    ControlServer server;

    @BeforeEach
    void start() throws IOException {
        socket = ControlServer.socketPath(data);
        QueueHandler h = new QueueHandler(new QueueStore(data.resolve("queue")), () -> {}, () -> {}, Clock.systemUTC());
        server = ControlServer.start(socket, h::handle);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Sends raw octets, returns everything the server wrote before closing. */
    String exchange(byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) ch.write(b);
            ch.shutdownOutput();
            return new String(Channels.newInputStream(ch).readAllBytes(), UTF_8);
        }
    }

    @Test
    void listOfAnEmptyQueueAnswersOk() throws Exception {
        assertEquals("OK\n", exchange("queue list\n".getBytes(UTF_8)));
        assertEquals("OK\n", exchange("queue list\r\n".getBytes(UTF_8)));
        assertEquals(ControlResponse.ok(), ControlClient.send(socket, new ControlRequest(ControlRequest.Command.LIST, null)));
    }

    @Test
    void badRequestsAnswerErr() throws Exception {
        assertEquals("ERR unknown request \"hello\"\n", exchange("hello\n".getBytes(UTF_8)));
        assertEquals("ERR not a queue ID: \"../x\"\n", exchange("queue show ../x\n".getBytes(UTF_8)));
        assertEquals("ERR ABCDEF1234: not in the queue\n", exchange("queue delete ABCDEF1234\n".getBytes(UTF_8)));
        assertEquals("ERR empty request\n", exchange(new byte[0]), "the client closed without a line");
        byte[] tooLong = ("queue list " + "x".repeat(5000) + "\n").getBytes(UTF_8);
        assertEquals("ERR request longer than 4096 octets\n", exchange(tooLong));
    }

    @Test
    void socketIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
    }

    @Test
    void closeRemovesTheSocketAndClientsThenSeeNoDaemon() throws Exception {
        server.close();
        assertFalse(Files.exists(socket));
        assertThrows(ControlClient.NotRunning.class,
                () -> ControlClient.send(socket, new ControlRequest(ControlRequest.Command.FLUSH, null)));
        server = ControlServer.start(socket, r -> ControlResponse.ok()); // for stop()
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveDaemonIsNot() throws Exception {
        server.close();
        // a daemon that died leaves its socket file behind: bound once, nobody listening
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertTrue(Files.exists(socket));
        assertThrows(ControlClient.NotRunning.class,
                () -> ControlClient.send(socket, new ControlRequest(ControlRequest.Command.FLUSH, null)));
        server = ControlServer.start(socket, r -> ControlResponse.ok());
        assertEquals("OK\n", exchange("queue flush\n".getBytes(UTF_8)));
        IOException e = assertThrows(IOException.class, () -> ControlServer.start(socket, r -> ControlResponse.ok()));
        assertTrue(e.getMessage().startsWith("another daemon is listening"), e.getMessage());
        assertEquals("OK\n", exchange("queue flush\n".getBytes(UTF_8)), "the running one is untouched");
    }

    @Test
    void answersEndWithTheStatusLineEvenWhenDataLinesLookLikeOne() {
        assertEquals(ControlResponse.ok(java.util.List.of("OK", "ERR not me")), ControlClient.parse("OK\nERR not me\nOK\n"));
        assertEquals("boom", ControlClient.parse("x\nERR boom\n").error());
        assertFalse(ControlClient.parse("half a li").isOk());
        assertFalse(ControlClient.parse("").isOk());
    }
}
