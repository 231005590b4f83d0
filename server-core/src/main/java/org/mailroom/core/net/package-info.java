/**
 * Listeners and the limits every connection is held to. {@link org.mailroom.core.net.NetServer} owns
 * the event loops, binds one {@link org.mailroom.core.net.Listener} per configured service, counts
 * connections in total and per client address ({@link org.mailroom.core.net.ConnectionLimiter}) and
 * shuts down gracefully: stop accepting, tell every session ({@link org.mailroom.core.net.ShutdownEvent}),
 * wait for the grace period, close what is left.
 *
 * <p>Invariants: nothing here blocks an event loop; protocol handlers are added by a
 * {@link org.mailroom.core.net.ProtocolInitializer} after the core ones, so limits apply to every
 * protocol the same way.
 */
package org.mailroom.core.net;
