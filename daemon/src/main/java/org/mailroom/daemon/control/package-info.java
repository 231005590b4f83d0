/**
 * The local control channel: {@code <data>/run/control.sock}, a UNIX domain socket that only the
 * daemon's user can open (the socket 0600, bound while its directory is 0700, which is opened to
 * 0711 afterwards for submit.sock beside it; file permissions are the whole authentication).
 * {@code mailroom queue ...}, {@code mailroom reload} and {@code mailroom status} ({@link org.mailroom.daemon.health.Health})
 * talk to the running daemon through it ({@code sendmail} uses
 * {@code submit.sock}, {@link org.mailroom.daemon.submit}).
 *
 * <p>Protocol, one request per connection:
 * <pre>
 * C: queue list                      one line, UTF-8, at most 4 KiB, LF (CR LF accepted)
 * S: 4XJ2K9ABCD deferred 5m 1234 &lt;alice@example.org&gt;
 * S:   bob@example.net (451 4.4.1 connection refused)
 * S: OK                              or: ERR &lt;message&gt;
 * (server closes)
 * </pre>
 * The status is the <em>last</em> line before end of file, so data lines need no escaping; a
 * client that sees end of file without a status line treats the request as failed.
 *
 * <p>Invariants: the server runs on its own threads, never on a Netty event loop (every command
 * blocks on the disk); requests are parsed by {@link org.mailroom.daemon.control.ControlRequestParser}
 * alone, and queue ids are checked with {@link org.mailroom.delivery.queue.QueueId} there, before any
 * file is touched. Not done: remote administration, authentication beyond file permissions.
 */
package org.mailroom.daemon.control;
