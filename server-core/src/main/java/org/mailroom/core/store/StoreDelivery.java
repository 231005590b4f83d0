package org.mailroom.core.store;

import java.io.IOException;

/**
 * One message being delivered into the INBOX of one or more accounts, as a transaction (maddy's
 * Delivery): {@link #addRecipient} for each account, then {@link #write} once, then
 * {@link #commit} or {@link #abort}. Nothing is visible to readers before commit; after commit
 * returns the message is durable for every recipient. Blocking; use from one thread at a time.
 */
public interface StoreDelivery {

    /** Adds an account's INBOX; the same account twice receives one copy. */
    void addRecipient(String account);

    /**
     * Writes the content once per recipient into a temporary place and forces it to disk.
     *
     * @throws IOException on a full disk or an unwritable mailbox; the caller then aborts
     */
    void write(MessageContent content) throws IOException;

    /**
     * Makes the written copies visible (Maildir: rename into {@code new/}, then one directory fsync
     * shared with concurrent deliveries) and publishes the events. Close to infallible once
     * {@link #write} succeeded.
     */
    void commit() throws IOException;

    /** Removes whatever {@link #write} left; safe to call at any point, and more than once. */
    void abort();
}
