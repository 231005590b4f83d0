package org.mailroom.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailroom.delivery.remote.RecipientResult.Status;

/** MX failover through a real DNS server on loopback to a real MTA (GreenMail). */
class RemoteDeliveryTest {
    private EventLoopGroup group;
    private TestDnsServer dns;
    private GreenMail gm;
    private int port;
    private RemoteDelivery delivery;

    @BeforeEach
    void start() throws Exception {
        group = new NioEventLoopGroup(1);
        dns = TestDnsServer.start();
        gm = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        gm.start();
        port = gm.getSmtp().getPort();
        SmtpClient client = new SmtpClient(group, "client.test", Timeouts.all(Duration.ofSeconds(3)));
        delivery = new RemoteDelivery(new MxResolver(List.of(dns.address()), Duration.ofSeconds(2)), client, port);
    }

    @AfterEach
    void stop() {
        gm.stop();
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void refusedFirstMxFallsBackToSecond() {
        // nothing listens on 127.0.0.2 at GreenMail's port: connection refused
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
                .a("mx1.example.test", "127.0.0.2").a("mx2.example.test", "127.0.0.1");
        List<RecipientResult> r = delivery.deliver("example.test", SmtpClientTest.tx("a@example.test", "b@example.test"),
                ConnectOptions.DEFAULT);
        for (RecipientResult rr : r) {
            assertEquals(Status.SUCCESS, rr.status(), rr.toString());
            assertEquals("mx2.example.test[127.0.0.1]:" + port, rr.relay());
        }
        assertEquals(2, gm.getReceivedMessages().length);
    }

    @Test
    void greetingRefusalFallsBackToNextMx() throws Exception {
        try (var refusing = new ScriptedSmtpServer(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), port),
                "S: 554 5.7.1 not here")) {
            dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
                    .a("mx1.example.test", "127.0.0.3").a("mx2.example.test", "127.0.0.1");
            List<RecipientResult> r = delivery.deliver("example.test", SmtpClientTest.tx("a@example.test"),
                    ConnectOptions.DEFAULT);
            assertEquals(Status.SUCCESS, r.get(0).status(), r.get(0).toString());
            assertEquals(List.of(), refusing.errors());
            assertEquals(1, gm.getReceivedMessages().length);
        }
    }

    @Test
    void allHostsFailingIsTemporary() {
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.2");
        List<RecipientResult> r = delivery.deliver("example.test", SmtpClientTest.tx("a@example.test"),
                ConnectOptions.DEFAULT);
        assertEquals(Status.TEMPORARY, r.get(0).status());
        assertTrue(r.get(0).relay().startsWith("mx1.example.test[127.0.0.2]"), r.get(0).relay());
    }

    @Test
    void nxdomainIsPermanentWithoutConnecting() {
        List<RecipientResult> r = delivery.deliver("nowhere.test", SmtpClientTest.tx("a@nowhere.test"),
                ConnectOptions.DEFAULT);
        assertEquals(Status.PERMANENT, r.get(0).status());
        assertEquals("5.1.2", r.get(0).enhanced().toString());
    }

    /** The second delivery to a destination reuses the session of the first (one connection, two transactions). */
    @Test
    void connectionIsReusedForTheNextMessageToTheSameDestination() throws Exception {
        String[] transaction = {"C: MAIL FROM:<s@a.test>", "S: 250 ok", "C: RCPT TO:<a@b.test>", "S: 250 ok",
                "C: DATA", "S: 354 go", "C: <data>", "S: 250 2.0.0 queued"};
        List<String> script = new java.util.ArrayList<>(List.of("S: 220 mx.test", "C: EHLO client.test", "S: 250 mx.test"));
        script.addAll(List.of(transaction));
        script.addAll(List.of(transaction));
        script.addAll(List.of("C: QUIT", "S: 221 bye"));
        try (var s = new ScriptedSmtpServer(script.toArray(String[]::new))) {
            String dest = "[127.0.0.1]:" + s.address().getPort();
            for (int i = 0; i < 2; i++) {
                List<RecipientResult> r = delivery.deliver(dest, SmtpClientTest.tx("a@b.test"), ConnectOptions.DEFAULT);
                assertEquals(Status.SUCCESS, r.get(0).status(), r.get(0).toString());
            }
            delivery.closeCached();
            assertEquals(List.of(), s.errors(), "both transactions on one connection, then QUIT");
            assertEquals(2, s.data().size());
        }
    }

    @Test
    void smarthostByAddress() {
        List<RecipientResult> r = delivery.deliver("[127.0.0.1]:" + port, SmtpClientTest.tx("a@far.test"),
                ConnectOptions.DEFAULT);
        assertEquals(Status.SUCCESS, r.get(0).status(), r.get(0).toString());
    }

    @Test
    void smarthostRefusingCredentialsIsTemporary() throws Exception {
        // a wrong password is the postmaster's to fix: the message stays queued, it is not bounced
        try (var s = new ScriptedSmtpServer("TLS", "S: 220 relay.test", "C: EHLO client.test", "S: 250-relay.test",
                "S: 250 AUTH PLAIN", "C: AUTH PLAIN {*}", "S: 535 5.7.8 Authentication credentials invalid")) {
            var creds = new ConnectOptions.Credentials("user", "wrong");
            List<RecipientResult> r = delivery.deliver("[127.0.0.1]:" + s.address().getPort(),
                    SmtpClientTest.tx("a@far.test"), new ConnectOptions(TlsPolicy.REQUIRE, null, creds, false, true));
            assertEquals(List.of(), s.errors());
            assertEquals(Status.TEMPORARY, r.get(0).status(), r.get(0).toString());
            assertEquals("4.4.1", r.get(0).enhanced().toString());
            assertTrue(r.get(0).text().contains("SASL authentication failed") && r.get(0).text().contains("535 5.7.8"),
                    r.get(0).text());
        }
    }
}
