package org.mailroom.delivery.queue;

import org.mailroom.core.store.MessageContent;

/**
 * Takes a message that {@link QueueWriter} has just made durable in {@code active/}, so that the
 * queue manager can deliver it at once, from memory, without finding it in {@code incoming/},
 * reading its record back and parsing it again (Postfix's cleanup hands over through the file
 * system; a single process can do without).
 */
@FunctionalInterface
public interface Handoff {

    /**
     * Called once per message, on the writer's thread, after record and content are durable and
     * before {@link QueueWriter#enqueue} returns. Must not block.
     *
     * @param entry   the record as written
     * @param content the content as written (trace header included), held in memory and readable
     *                any number of times; null when the message was too large to hold, then it is
     *                read from the store
     * @return false if the message cannot be taken (the queue manager is stopping); the writer then
     *         moves it to {@code incoming/}, where the next scan or start finds it
     */
    boolean take(QueueEntry entry, MessageContent content);
}
