package org.mailroom.core.store;

import java.io.IOException;

/** The mail of all accounts. Thread-safe; every method may block. */
public interface MailStore {

    /** Starts a delivery; see {@link StoreDelivery} for the call order. */
    StoreDelivery newDelivery();

    /**
     * Opens an account's INBOX, creating it on first use, and synchronises it (new mail gets UIDs).
     */
    Mailbox openInbox(String account) throws IOException;
}
