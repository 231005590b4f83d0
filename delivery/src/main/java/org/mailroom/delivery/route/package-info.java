/**
 * Where a recipient goes: a local account, an unknown local user, or a remote domain. Plus
 * addressing ({@code user+tag@domain}) reaches {@code user}. Aliases and transport maps come with
 * the queue. In the host's own names ({@code <hostname>}, {@code localhost}) the host's Unix
 * accounts come last ({@link org.mailroom.delivery.route.SystemUsers}, {@code local.systemUsers},
 * issue 8), and a Unix user's {@code ~/.forward} is expanded like an alias, with the same loop
 * rule. Commands and files, in aliases or {@code .forward}, are refused routes (bounced with the
 * reason): running them as the right user would need privileges the daemon does not have.
 */
package org.mailroom.delivery.route;
