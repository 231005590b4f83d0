package org.mailroom.daemon.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.delivery.DeliveryMetrics;
import org.mailroom.delivery.queue.QueueStore;

class HealthTest {

    @Test
    void statusShowsQueueUptimeAndDeliveriesPerMinute(@TempDir Path dir) throws Exception {
        AtomicLong now = new AtomicLong(1_800_000_000_000L);
        Metrics m = new Metrics();
        Health h = new Health(m, List::of, new QueueStore(dir.resolve("queue")), "1.2.3", now::get);
        DeliveryMetrics.counter(m, "sent", true).add(2);      // as DeliverySink counts them
        now.addAndGet(90_000);
        DeliveryMetrics.counter(m, "sent", false).inc();      // as the queue manager counts them
        DeliveryMetrics.counter(m, "bounced", false).inc();
        now.addAndGet(3_000);
        List<String> s = h.status();
        assertEquals("version     1.2.3", s.get(0));
        assertEquals("uptime      1m 33s (since 2027-01-15T08:00:00Z)", s.get(1));
        assertEquals("queue       incoming 0, active 0, deferred 0, hold 0, corrupt 0", s.get(2));
        assertEquals("deliveries  last minute: 1 sent, 0 deferred, 1 bounced", s.get(3));
        assertEquals("deliveries  last 5 minutes: 3 sent, 0 deferred, 1 bounced", s.get(4));
    }

    @Test
    void theSameFiguresAreMetrics(@TempDir Path dir) throws Exception {
        AtomicLong now = new AtomicLong(0);
        Metrics m = new Metrics();
        new Health(m, List::of, new QueueStore(dir.resolve("queue")), "1.2.3", now::get);
        now.set(42_000);
        String text = m.writeText();
        assertTrue(text.contains("mailroom_build_info{version=\"1.2.3\"} 1\n"), text);
        assertTrue(text.contains("mailroom_uptime_seconds 42\n"), text);
        assertTrue(text.contains("mailroom_queue_messages{state=\"deferred\"} 0\n"), text);
        assertTrue(text.contains("mailroom_deliveries_total{status=\"sent\",relay=\"local\"} 0\n"), text);
        assertTrue(text.contains("mailroom_jvm_heap_bytes{area=\"used\"} "), text);
    }

    @Test
    void humanDurations() {
        assertEquals("42s", Health.human(Duration.ofSeconds(42)));
        assertEquals("5m 3s", Health.human(Duration.ofSeconds(303)));
        assertEquals("2h 13m", Health.human(Duration.ofMinutes(133)));
        assertEquals("3d 4h", Health.human(Duration.ofHours(76)));
    }
}
