/**
 * The daemon: {@link org.mailroom.daemon.Main} parses the command line ({@link org.mailroom.daemon.Cli}),
 * {@link org.mailroom.daemon.Daemon} wires every module with plain constructors (the only place
 * that knows them all) and runs until SIGTERM or SIGINT, then shuts down gracefully: stop
 * accepting, let sessions finish within {@code shutdown.grace}, wait for deliveries in progress.
 * No DI framework, no static mutable state.
 */
package org.mailroom.daemon;
