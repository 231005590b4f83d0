package org.mailroom.core.store;

/**
 * A folder name as LIST sees it.
 *
 * @param name       with {@code /} as hierarchy delimiter; {@code INBOX} for the inbox
 * @param exists     false for a name that is only subscribed (RFC 5258 \NonExistent)
 * @param subscribed RFC 9051 6.3.7
 * @param specialUse RFC 6154 attribute ({@code \Sent}, ...) or {@code null}
 */
public record MailboxInfo(String name, boolean exists, boolean subscribed, String specialUse) {}
