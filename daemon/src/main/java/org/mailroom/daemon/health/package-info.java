/**
 * How the running daemon is doing: {@link org.mailroom.daemon.health.Health} answers
 * {@code mailroom status} over the control socket and registers the daemon-wide gauges of
 * {@code /metrics} (listeners, queue, JVM, uptime, version). Both read the same sources: the
 * listeners bound now, the queue directories and the counters the modules keep in
 * {@link org.mailroom.core.metrics.Metrics}.
 *
 * <p>Invariants: reading the queue sizes lists directories, so {@link org.mailroom.daemon.health.Health#status}
 * and the metrics text are produced off the event loops (control threads, blocking executor).
 * Deliveries per minute come from the delivery counters' own one-second ring
 * ({@link org.mailroom.core.metrics.Counter#trackRecent}), so no timer runs for them.
 *
 * <p>Not done: per-destination queue shape (Postfix {@code qshape}), history beyond five minutes.
 */
package org.mailroom.daemon.health;
