package org.mailroom.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mailroom.config.ListenAddress;

/** Connection limits over real sockets: the refused client reads the protocol's own line, then EOF. */
class NetServerTest {

    /** Greets with "hello" and stays open; on ShutdownEvent says "bye" and closes. */
    private static final ProtocolInitializer GREETER = new ProtocolInitializer() {
        @Override
        public void initChannel(SocketChannel ch, boolean implicitTls) {
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(Unpooled.copiedBuffer("hello\r\n", StandardCharsets.US_ASCII));
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt == ShutdownEvent.INSTANCE) {
                        ctx.writeAndFlush(Unpooled.copiedBuffer("bye\r\n", StandardCharsets.US_ASCII))
                                .addListener(f -> ctx.close());
                    }
                }
            });
        }

        @Override
        public String tooManyConnections() {
            return "421 too many";
        }
    };

    private static BufferedReader reader(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void eachListenerCountsItsOwnConnections() throws Exception {
        try (NetServer net = new NetServer(100, 100, 1)) {
            Listener a = net.bind("a", List.of(new ListenAddress("127.0.0.1", 0)), GREETER, null);
            Listener b = net.bind("b", List.of(new ListenAddress("127.0.0.1", 0)), GREETER, null);
            InetSocketAddress addr = a.boundAddresses().get(0);
            try (Socket s1 = new Socket(addr.getAddress(), addr.getPort());
                 Socket s2 = new Socket(addr.getAddress(), addr.getPort())) {
                assertEquals("hello", reader(s1).readLine());
                assertEquals("hello", reader(s2).readLine());
                assertEquals(2, a.openConnections());
                assertEquals(2, a.acceptedConnections());
                assertEquals(0, b.acceptedConnections());
            }
            // the count drops when the server has seen the close
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (a.openConnections() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(0, a.openConnections());
            assertEquals(2, a.acceptedConnections());
            assertEquals(0, a.refusedConnections());
            net.shutdown(Duration.ZERO);
        }
    }

    @Test
    void perClientAndTotalLimitsRefuseWithTheProtocolLineAndFreeTheirSlots() throws Exception {
        try (NetServer net = new NetServer(3, 2, 1)) {
            Listener l = net.bind("test", List.of(new ListenAddress("127.0.0.1", 0)), GREETER, null);
            InetSocketAddress addr = l.boundAddresses().get(0);
            List<Socket> open = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket(addr.getAddress(), addr.getPort());
                open.add(s);
                assertEquals("hello", reader(s).readLine());
            }
            try (Socket third = new Socket(addr.getAddress(), addr.getPort())) {
                BufferedReader r = reader(third);
                assertEquals("421 too many", r.readLine());
                assertNull(r.readLine(), "refused connection is closed");
            }
            open.remove(0).close();
            // the slot is released when the server sees the close
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            String line;
            do {
                try (Socket again = new Socket(addr.getAddress(), addr.getPort())) {
                    line = reader(again).readLine();
                }
            } while (!"hello".equals(line) && System.nanoTime() < deadline);
            assertEquals("hello", line);
            for (Socket s : open) s.close();
            net.shutdown(Duration.ofSeconds(1));
        }
    }

    @Test
    void shutdownClosesListenersAndTellsSessions() throws Exception {
        try (NetServer net = new NetServer(10, 10, 1)) {
            Listener l = net.bind("test", List.of(new ListenAddress("127.0.0.1", 0)), GREETER, null);
            InetSocketAddress addr = l.boundAddresses().get(0);
            try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                BufferedReader r = reader(s);
                assertEquals("hello", r.readLine());
                assertEquals(true, net.shutdown(Duration.ofSeconds(5)), "the session closed within the grace period");
                assertEquals("bye", r.readLine());
                assertNull(r.readLine());
            }
            assertEquals(List.of(), net.listeners(), "no longer accepting");
            // the port itself may already belong to another process on a busy machine; it must not be us
            try (Socket again = new Socket(addr.getAddress(), addr.getPort())) {
                again.setSoTimeout(500);
                String greeting;
                try {
                    greeting = new BufferedReader(new InputStreamReader(again.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                } catch (java.net.SocketTimeoutException silent) {
                    greeting = null;
                }
                org.junit.jupiter.api.Assertions.assertNotEquals("hello", greeting, "a closed listener still answered");
            } catch (java.io.IOException refused) {
                // connection refused: nothing listens there any more
            }
        }
    }
}
