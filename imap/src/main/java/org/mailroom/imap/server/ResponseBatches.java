package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;

/**
 * A long run of untagged responses produced piece by piece (FETCH of 100,000 messages is ~40 MB),
 * for {@link ImapContext#stream}. The session asks for one batch, writes it, and asks for the next
 * only when the channel is writable again, so a slow client holds at most about one batch plus
 * Netty's write buffer high-water mark in memory, never the whole response.
 *
 * <p>Calls are one at a time, never concurrent, in order; on the blocking executor or on the event
 * loop, as the handler chose when it called {@link ImapContext#stream}.
 */
@FunctionalInterface
public interface ResponseBatches {

    /** A batch of about this many octets keeps memory low and writes efficient. */
    int BATCH_OCTETS = 64 * 1024;

    /**
     * Appends the next complete responses (whole lines, literals included) to {@code out}, about
     * {@link #BATCH_OCTETS} of them.
     *
     * @return false when this was the last batch
     * @throws ImapException to end the command (already written batches stay sent); other
     *                       exceptions end it with {@code NO [SERVERBUG]}
     */
    boolean next(ByteBuf out) throws Exception;
}
