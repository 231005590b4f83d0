/**
 * Where a recipient goes: a local account, an unknown local user, or a remote domain. Plus
 * addressing ({@code user+tag@domain}) reaches {@code user}. Aliases and transport maps come with
 * the queue. In the host's own names ({@code <hostname>}, {@code localhost}) the host's Unix
 * accounts come last ({@link org.mailroom.delivery.route.SystemUsers}, {@code local.systemUsers},
 * issue 8), and a Unix user's {@code ~/.forward} is expanded like an alias, with the same loop
 * rule. Commands and files in the aliases are refused routes (bounced with the reason); in a
 * {@code .forward} too, unless {@code local.forwardPrograms} is on
 * ({@link org.mailroom.delivery.route.SystemUsers#forwardPrograms()}): then they are
 * {@link org.mailroom.delivery.route.Route.UserTarget}s, run or written as the user from the
 * queue, where they are kept as {@code ~user:target} (a form no client can give: the sink refuses
 * it wherever mail enters, and {@link org.mailroom.delivery.route.Router#route} checks it again).
 */
package org.mailroom.delivery.route;
