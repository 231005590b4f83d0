package org.mailroom.pop3;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 1939 8: the server holds an exclusive-access lock on the maildrop for the life of a
 * TRANSACTION, so two POP3 clients cannot delete each other's view. Only POP3 sessions take it;
 * IMAP and delivery are not blocked (the store keeps their views consistent by UID).
 *
 * <p>One instance is shared by every POP3 listener of the daemon (pop3 and pop3s), so a client on
 * one cannot bypass the lock held through the other. Thread-safe, never blocks.
 */
public final class MaildropLocks {
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    /** @return true when the caller now holds the lock on {@code account} */
    public boolean tryLock(String account) { return held.add(account); }

    public void unlock(String account) { held.remove(account); }

    public boolean isLocked(String account) { return held.contains(account); }
}
