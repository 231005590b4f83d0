package org.mailroom.core.store;

import java.io.IOException;

/** The mail of all accounts. Thread-safe; every method may block. */
public interface MailStore {

    /** Starts a delivery; see {@link StoreDelivery} for the call order. */
    StoreDelivery newDelivery();

    /** The folders of an account (nothing is created until used). */
    Mailboxes mailboxes(String account);

    /**
     * Opens a read-write view of an account's INBOX, creating it on first use, and synchronises it
     * (new mail gets UIDs).
     */
    default Mailbox openInbox(String account) throws IOException {
        Mailbox m = mailboxes(account).open("INBOX", false);
        m.sync();
        return m;
    }
}
