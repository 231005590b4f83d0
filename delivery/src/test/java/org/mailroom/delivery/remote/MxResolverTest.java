package org.mailroom.delivery.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MxResolverTest {
    private TestDnsServer dns;
    private MxResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = TestDnsServer.start();
        resolver = new MxResolver(List.of(dns.address()), Duration.ofMillis(700));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private static List<String> names(Resolution r) {
        return assertInstanceOf(Resolution.Hosts.class, r).hosts().stream().map(MxHost::name).toList();
    }

    @Test
    void mxSortedByPreference() {
        // RFC 5321 5.1: lowest preference first
        dns.mx("example.test", 20, "mx2.example.test").mx("example.test", 10, "mx1.example.test")
                .mx("example.test", 30, "mx3.example.test")
                .a("mx1.example.test", "192.0.2.1").a("mx2.example.test", "192.0.2.2").a("mx3.example.test", "192.0.2.3");
        Resolution r = resolver.resolve("example.test");
        assertEquals(List.of("mx1.example.test", "mx2.example.test", "mx3.example.test"), names(r));
        assertEquals(List.of(10, 20, 30), ((Resolution.Hosts) r).hosts().stream().map(MxHost::preference).toList());
    }

    @Test
    void equalPreferenceIsShuffled() {
        // RFC 5321 5.1: hosts of equal preference in random order
        dns.mx("example.test", 10, "a.example.test").mx("example.test", 10, "b.example.test")
                .mx("example.test", 5, "first.example.test")
                .a("a.example.test", "192.0.2.1").a("b.example.test", "192.0.2.2").a("first.example.test", "192.0.2.3");
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            List<String> n = names(resolver.resolve("example.test"));
            assertEquals("first.example.test", n.get(0));
            seen.add(n);
        }
        assertEquals(Set.of(List.of("first.example.test", "a.example.test", "b.example.test"),
                List.of("first.example.test", "b.example.test", "a.example.test")), seen);
    }

    @Test
    void noMxMeansImplicitMx() throws Exception {
        // RFC 5321 5.1: the domain's own address records
        dns.a("plain.test", "192.0.2.9");
        Resolution.Hosts h = assertInstanceOf(Resolution.Hosts.class, resolver.resolve("plain.test"));
        assertEquals(1, h.hosts().size());
        assertEquals("plain.test", h.hosts().get(0).name());
        assertEquals(0, h.hosts().get(0).preference());
        assertEquals(List.of(InetAddress.getByName("192.0.2.9")), h.hosts().get(0).addresses());
    }

    @Test
    void nullMxIsPermanent() {
        // RFC 7505 3
        dns.nullMx("nomail.test").a("nomail.test", "192.0.2.1");
        Resolution.PermanentFailure f = assertInstanceOf(Resolution.PermanentFailure.class, resolver.resolve("nomail.test"));
        assertEquals("5.1.10", f.status().toString());
    }

    @Test
    void nxdomainIsPermanent() {
        Resolution.PermanentFailure f = assertInstanceOf(Resolution.PermanentFailure.class,
                resolver.resolve("missing.test"));
        assertEquals("5.1.2", f.status().toString());
        assertInstanceOf(Resolution.PermanentFailure.class, resolver.resolveHost("missing.test"));
    }

    @Test
    void servfailIsTemporary() {
        dns.servfail("broken.test");
        assertInstanceOf(Resolution.TemporaryFailure.class, resolver.resolve("broken.test"));
    }

    @Test
    void timeoutIsTemporary() {
        dns.silent("slow.test");
        long t0 = System.nanoTime();
        assertInstanceOf(Resolution.TemporaryFailure.class, resolver.resolve("slow.test"));
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
    }

    @Test
    void aaaaBeforeA() throws Exception {
        dns.mx("dual.test", 10, "mx.dual.test").a("mx.dual.test", "192.0.2.1").aaaa("mx.dual.test", "2001:db8::1");
        Resolution.Hosts h = assertInstanceOf(Resolution.Hosts.class, resolver.resolve("dual.test"));
        assertEquals(List.of(InetAddress.getByName("2001:db8::1"), InetAddress.getByName("192.0.2.1")),
                h.hosts().get(0).addresses());
    }

    @Test
    void cnameAtTheDomainIsFollowed() {
        dns.cname("alias.test", "real.test").mx("real.test", 10, "mx.real.test").a("mx.real.test", "192.0.2.5");
        assertEquals(List.of("mx.real.test"), names(resolver.resolve("alias.test")));
    }

    @Test
    void mxHostWithoutAddressIsSkipped() {
        dns.mx("half.test", 10, "gone.half.test").mx("half.test", 20, "mx.half.test").a("mx.half.test", "192.0.2.7");
        assertEquals(List.of("mx.half.test"), names(resolver.resolve("half.test")));
    }

    @Test
    void resolveHostIgnoresMx() throws Exception {
        dns.mx("relay.test", 10, "other.test").a("relay.test", "192.0.2.8");
        Resolution.Hosts h = assertInstanceOf(Resolution.Hosts.class, resolver.resolveHost("[relay.test]"));
        assertEquals(List.of(InetAddress.getByName("192.0.2.8")), h.hosts().get(0).addresses());
        Resolution.Hosts ip = assertInstanceOf(Resolution.Hosts.class, resolver.resolveHost("[192.0.2.44]"));
        assertEquals("192.0.2.44", ip.hosts().get(0).addresses().get(0).getHostAddress());
    }
}
