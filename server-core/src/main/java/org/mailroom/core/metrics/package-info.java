/**
 * A tiny, dependency-free metrics registry: {@link org.mailroom.core.metrics.Metrics} holds
 * counters ({@link org.mailroom.core.metrics.Counter}, a {@link java.util.concurrent.atomic.LongAdder})
 * and gauges (a {@link java.util.function.LongSupplier} read when the metrics are written), and
 * writes them in the Prometheus text exposition format 0.0.4. Modules (smtp, delivery, the
 * authenticator) are handed a registry through their constructors and increment counters where
 * they already write their one-line-per-event log; they never know how the numbers are served.
 *
 * <p>Invariants: incrementing a counter never takes a lock and never blocks, so it may be done
 * on an event loop; registering takes the registry's lock and is meant for wiring time. Gauges
 * are read by whoever calls {@link org.mailroom.core.metrics.Metrics#writeText}: a gauge that
 * touches the disk (queue sizes) makes that call blocking, so the HTTP server calls it on the
 * blocking executor. There is no static registry: every daemon (and every test) has its own.
 *
 * <p>Not done: histograms and summaries, float-valued samples, timestamps on samples, the
 * OpenMetrics or protobuf formats, removing a metric once registered.
 */
package org.mailroom.core.metrics;
