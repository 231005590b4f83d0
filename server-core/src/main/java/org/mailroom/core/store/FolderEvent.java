package org.mailroom.core.store;

/**
 * One change of a folder as its implementations publish it to the views ({@link Mailbox#changes()}
 * replays them with {@link ViewReplay}), in the order the changes were made.
 */
public sealed interface FolderEvent {

    record Added(MessageRef ref) implements FolderEvent {}

    /** @param origin the view that made the change, or null (another tool, a delivery) */
    record Changed(MessageRef ref, Object origin) implements FolderEvent {}

    record Expunged(long uid) implements FolderEvent {}
}
