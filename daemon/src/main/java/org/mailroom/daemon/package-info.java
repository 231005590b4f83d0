/**
 * The daemon: {@link org.mailroom.daemon.Main} parses the command line ({@link org.mailroom.daemon.Cli}),
 * {@link org.mailroom.daemon.Daemon} wires every module with plain constructors (the only place
 * that knows them all) and runs until SIGTERM or SIGINT, then shuts down gracefully: stop
 * accepting, let sessions finish within {@code shutdown.grace}, wait for deliveries in progress.
 * SIGHUP and {@code mailroom reload} re-read the configuration without closing anything
 * ({@link org.mailroom.daemon.Reload}: what changes live, what needs a restart).
 * No DI framework, no static mutable state (the SIGHUP handler is the JVM's own, set once by the CLI).
 *
 * <p>{@link org.mailroom.daemon.SystemMailboxes} makes the host's Unix users a local domain
 * ({@code local.systemUsers}, docs/local-mail.md): spool mbox files given to their user (group
 * mail plus CAP_CHOWN, nothing more), and their {@code ~/.forward}. With
 * {@code local.systemMailbox = maildir}, {@link org.mailroom.daemon.HomeMaildirs} delivers to
 * {@code ~/Maildir/} instead, through directory descriptors, never through a link or a directory
 * the user does not own (CAP_DAC_OVERRIDE plus CAP_CHOWN).
 *
 * <p>The module also builds the Debian package ({@code src/deb}: control files and maintainer
 * scripts, the launcher, the shipped configuration, the systemd unit; jdeb at {@code package}),
 * documented in {@code docs/install.md} and smoke-tested by {@code .ci/deb-smoke.sh}.
 */
package org.mailroom.daemon;
