/**
 * Local (UNIX domain socket) listeners of the daemon: the control channel of the CLI and the
 * submission channel of {@code sendmail}. {@link org.mailroom.daemon.local.LocalListener} owns the
 * socket file, the accept loop, a small bounded worker pool and per-connection deadlines; the
 * protocols live in {@code control} and {@code submit}. Never on a Netty event loop.
 */
package org.mailroom.daemon.local;
