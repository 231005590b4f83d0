/**
 * Where a recipient goes: a local account, an unknown local user, or a remote domain. Plus
 * addressing ({@code user+tag@domain}) reaches {@code user}. Aliases and transport maps come with
 * the queue.
 */
package org.mailroom.delivery.route;
