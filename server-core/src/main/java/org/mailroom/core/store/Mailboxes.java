package org.mailroom.core.store;

import java.io.IOException;
import java.util.List;

/**
 * The folders of one account. Names use {@code /} as the hierarchy delimiter and are Unicode;
 * {@code INBOX} (any case) is the inbox. The store refuses names it cannot hold safely
 * ({@link StoreException.Reason#CANNOT}): empty levels, {@code .} or {@code ..} levels, control
 * characters, overlong names. Every method is blocking.
 */
public interface Mailboxes {

    String account();

    /** Every existing folder and every subscribed name, INBOX first, then by name. */
    List<MailboxInfo> list() throws IOException;

    /**
     * Creates a folder (and, implicitly, missing parents are shown as \NonExistent, not created).
     *
     * @param specialUse RFC 6154 attribute or {@code null}
     */
    void create(String name, String specialUse) throws IOException;

    /** Deletes a folder and its messages; its children stay. INBOX cannot be deleted. */
    void delete(String name) throws IOException;

    /**
     * Renames a folder and its children (RFC 9051 6.3.6). Renaming INBOX moves its messages into a
     * new folder and leaves INBOX empty.
     */
    void rename(String from, String to) throws IOException;

    /** RFC 9051 6.3.7/6.3.8; subscribing to a name that does not exist is allowed. */
    void subscribe(String name, boolean subscribed) throws IOException;

    /** Opens a view; see {@link Mailbox}. */
    Mailbox open(String name, boolean readOnly) throws IOException;

    MailboxStatus status(String name) throws IOException;

    /** Octets (RFC822.SIZE) and messages in all folders: what a quota counts. */
    long[] usage() throws IOException;

    /** The account's limits and current usage; {@link Quota#NONE} when it has no limit. */
    Quota quota() throws IOException;

    /**
     * Creates the special-use folders DESIGN.md 3 names (Sent, Drafts, Trash, Junk, Archive) when
     * this account has never had them; a user who deleted one does not get it back.
     */
    void ensureDefaults() throws IOException;
}
