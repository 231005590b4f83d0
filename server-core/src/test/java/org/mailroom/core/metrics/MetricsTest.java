package org.mailroom.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
    /** A sample line of format 0.0.4: name, optional {label="value",...}, a value. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\""
                    + "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\")*\\})? -?[0-9]+");

    @Test
    void writesHelpTypeAndSamplesInTheTextFormat() {
        Metrics m = new Metrics();
        Counter ok = m.counter("mailroom_logins_total", "Logins checked.", "service", "imap", "result", "ok");
        m.counter("mailroom_logins_total", "Logins checked.", "service", "imap", "result", "failed").add(2);
        ok.inc();
        ok.inc();
        ok.inc();
        m.gauge("mailroom_queue_messages", "Messages in the queue.", () -> 7, "state", "deferred");
        m.gauge("mailroom_uptime_seconds", "Seconds since start.", () -> 42);
        assertEquals("""
                # HELP mailroom_logins_total Logins checked.
                # TYPE mailroom_logins_total counter
                mailroom_logins_total{service="imap",result="ok"} 3
                mailroom_logins_total{service="imap",result="failed"} 2
                # HELP mailroom_queue_messages Messages in the queue.
                # TYPE mailroom_queue_messages gauge
                mailroom_queue_messages{state="deferred"} 7
                # HELP mailroom_uptime_seconds Seconds since start.
                # TYPE mailroom_uptime_seconds gauge
                mailroom_uptime_seconds 42
                """, m.writeText());
    }

    @Test
    void everyLineIsACommentOrAValidSample() {
        Metrics m = new Metrics();
        m.counter("a_total", "back\\slash and\nnewline", "l", "quote\" back\\ nl\n").inc();
        m.gauge("b", "", () -> -3);
        String text = m.writeText();
        assertTrue(text.endsWith("\n"));
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ") || SAMPLE.matcher(line).matches(), line);
        }
        assertTrue(text.contains("# HELP a_total back\\\\slash and\\nnewline\n"), text);
        assertTrue(text.contains("a_total{l=\"quote\\\" back\\\\ nl\\n\"} 1\n"), text);
    }

    @Test
    void counterIsGetOrCreateAndNamesAreChecked() {
        Metrics m = new Metrics();
        Counter a = m.counter("x_total", "h", "k", "v");
        assertSame(a, m.counter("x_total", "h", "k", "v"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("x_total", "h", "other", "v"));
        assertThrows(IllegalArgumentException.class, () -> m.gauge("x_total", "h", () -> 1, "k", "w"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("bad-name", "h"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("y", "h", "__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> m.counter("y", "h", "odd"));
        assertThrows(IllegalArgumentException.class, () -> a.add(-1));
    }

    @Test
    void gaugesAreReadWhenWrittenAndABrokenOneIsLeftOut() {
        Metrics m = new Metrics();
        AtomicLong v = new AtomicLong(1);
        m.gauge("g", "h", v::get);
        m.gauge("broken", "h", () -> { throw new IllegalStateException("disk gone"); });
        m.counterOf("c_total", "h", () -> 5, "listener", "smtp");
        v.set(9);
        String text = m.writeText();
        assertTrue(text.contains("\ng 9\n"), text);
        assertTrue(text.contains("# TYPE broken gauge\n# HELP c_total"), text);
        assertTrue(text.contains("c_total{listener=\"smtp\"} 5\n"), text);
        assertEquals(9, m.value("g"));
        assertEquals(5, m.value("c_total", "listener", "smtp"));
        assertEquals(-1, m.value("nothing"));
    }

    @Test
    void recentCountsOnlyTheWindow() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        Counter c = new Metrics().counter("d_total", "h").trackRecent(now::get);
        c.inc();                       // t = 0
        now.addAndGet(30_000);
        c.add(2);                      // t = 30 s
        now.addAndGet(40_000);         // t = 70 s: the first is more than a minute old
        assertEquals(2, c.recent(60));
        assertEquals(3, c.recent(300));
        now.addAndGet(301_000);        // every bucket is from an earlier round of the ring
        assertEquals(0, c.recent(300));
        c.inc();
        assertEquals(1, c.recent(1));
        assertEquals(4, c.value());
    }
}
