package org.mailroom.delivery.remote;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A small authoritative DNS server for tests, on 127.0.0.1 at an ephemeral port, UDP and TCP on
 * the same port number. It answers from an in-memory zone: a name with no records at all is
 * NXDOMAIN, a name with records but none of the asked type is NODATA, a CNAME is answered with
 * the chain it leads to. Names can be made to answer SERVFAIL or not at all.
 *
 * <pre>
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.1");
 *     MxResolver r = new MxResolver(List.of(dns.address()), Duration.ofSeconds(2));
 * }
 * </pre>
 */
public final class TestDnsServer implements AutoCloseable {
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final Map<Name, List<Record>> zone = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile boolean closed;

    private TestDnsServer() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        this.udp = new DatagramSocket(new InetSocketAddress(lo, 0));
        ServerSocket t;
        try {
            t = new ServerSocket(udp.getLocalPort(), 16, lo);
        } catch (IOException e) {
            t = null; // TCP port taken: UDP only, which is all the resolver needs without truncation
        }
        this.tcp = t;
    }

    public static TestDnsServer start() throws IOException {
        TestDnsServer s = new TestDnsServer();
        s.spawn("dns-udp", s::serveUdp);
        if (s.tcp != null) s.spawn("dns-tcp", s::serveTcp);
        return s;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udp.getLocalPort());
    }

    /** Queries answered (or ignored) so far. */
    public int queries() { return queries.get(); }

    public TestDnsServer mx(String domain, int preference, String host) {
        return add(new MXRecord(name(domain), DClass.IN, 300, preference, name(host)));
    }

    /** The RFC 7505 null MX: {@code domain MX 0 .}. */
    public TestDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, 300, 0, Name.root));
    }

    public TestDnsServer a(String host, String ip) {
        return add(new ARecord(name(host), DClass.IN, 300, address(ip)));
    }

    public TestDnsServer aaaa(String host, String ip) {
        return add(new AAAARecord(name(host), DClass.IN, 300, address(ip)));
    }

    public TestDnsServer cname(String alias, String target) {
        return add(new CNAMERecord(name(alias), DClass.IN, 300, name(target)));
    }

    public TestDnsServer add(Record r) {
        zone.computeIfAbsent(r.getName(), k -> new CopyOnWriteArrayList<>()).add(r);
        return this;
    }

    /** Every query for {@code name} is answered SERVFAIL. */
    public TestDnsServer servfail(String name) {
        servfail.add(name(name));
        return this;
    }

    /** Queries for {@code name} are read and never answered (a timeout for the client). */
    public TestDnsServer silent(String name) {
        silent.add(name(name));
        return this;
    }

    /** The answer to {@code query}, or null to stay silent. */
    Message answer(Message query) {
        queries.incrementAndGet();
        Record q = query.getQuestion();
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) m.getHeader().setFlag(Flags.RD);
        if (q == null) {
            m.getHeader().setRcode(Rcode.FORMERR);
            return m;
        }
        m.addRecord(q, Section.QUESTION);
        Name n = q.getName();
        if (silent.contains(n)) return null;
        if (servfail.contains(n)) {
            m.getHeader().setRcode(Rcode.SERVFAIL);
            return m;
        }
        for (int hops = 0; hops < 8; hops++) {
            List<Record> rs = zone.get(n);
            if (rs == null) {
                if (hops == 0) m.getHeader().setRcode(Rcode.NXDOMAIN);
                return m;
            }
            Record cname = null;
            for (Record r : rs) {
                if (r.getType() == q.getType()) m.addRecord(r, Section.ANSWER);
                else if (r.getType() == Type.CNAME) cname = r;
            }
            if (cname == null || q.getType() == Type.CNAME) return m;
            m.addRecord(cname, Section.ANSWER);
            n = ((CNAMERecord) cname).getTarget();
        }
        return m;
    }

    private void serveUdp() {
        byte[] buf = new byte[4096];
        while (!closed) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                udp.receive(p);
                Message reply = answer(new Message(java.util.Arrays.copyOf(p.getData(), p.getLength())));
                if (reply == null) continue;
                byte[] out = reply.toWire(512);
                udp.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                // a malformed query: ignore it, as a real server would
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            Socket s;
            try {
                s = tcp.accept();
            } catch (IOException e) {
                return;
            }
            spawn("dns-tcp-conn", () -> {
                try (s) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    while (true) {
                        byte[] q = new byte[in.readUnsignedShort()];
                        in.readFully(q);
                        Message reply = answer(new Message(q));
                        if (reply == null) continue;
                        byte[] w = reply.toWire();
                        out.writeShort(w.length);
                        out.write(w);
                        out.flush();
                    }
                } catch (IOException e) {
                    // peer closed
                }
            });
        }
    }

    private void spawn(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s.endsWith(".") ? s : s + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            if (tcp != null) tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
