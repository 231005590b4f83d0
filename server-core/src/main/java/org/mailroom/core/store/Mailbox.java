package org.mailroom.core.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;

/**
 * An open folder of one account. A snapshot of its messages is taken at open and refreshed by
 * {@link #sync()}; reading and expunging address messages by UID. Several sessions may hold the same
 * folder open; each has its own snapshot. Blocking, and not thread-safe: one session uses it from one
 * task at a time.
 */
public interface Mailbox extends Closeable {

    String account();

    String name();

    /** RFC 9051 2.3.1.1; changes only when the index had to be rebuilt with new UIDs. */
    long uidValidity();

    /** The UID the next new message will get. */
    long uidNext();

    /** The snapshot, ascending by UID. */
    List<MessageRef> messages();

    /**
     * Picks up messages delivered (or changed or removed by other tools and sessions) since the last
     * snapshot, assigning UIDs to new ones and recording them durably in the index.
     *
     * @return the new snapshot
     */
    List<MessageRef> sync() throws IOException;

    /**
     * The message's octets as stored (LF line ends).
     *
     * @throws java.nio.file.NoSuchFileException when it was expunged meanwhile by another session
     */
    InputStream open(long uid) throws IOException;

    /**
     * Removes these messages durably (files unlinked, index updated, directory synced). UIDs that
     * are already gone are ignored.
     *
     * @return the UIDs actually removed
     */
    List<Long> expunge(Collection<Long> uids) throws IOException;
}
