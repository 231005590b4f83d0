package org.mailroom.core.store;

/**
 * An account's limits (RFC 9208 STORAGE and MESSAGE resources) and, from {@link Mailboxes#quota()},
 * its usage. A limit of 0 means none.
 *
 * @param storageLimit octets (RFC822 sizes of all messages in all folders)
 * @param messageLimit messages in all folders
 */
public record Quota(long storageLimit, long messageLimit, long storageUsed, long messagesUsed) {

    public static final Quota NONE = new Quota(0, 0, 0, 0);

    public boolean limited() { return storageLimit > 0 || messageLimit > 0; }

    /** Whether adding {@code octets} in {@code messages} messages would go over a limit. */
    public boolean exceededBy(long octets, long messages) {
        return storageLimit > 0 && storageUsed + octets > storageLimit
                || messageLimit > 0 && messagesUsed + messages > messageLimit;
    }

    /** The limits of an account, as the administrator set them; usage not filled in. */
    @FunctionalInterface
    public interface Policy {
        Quota of(String account);

        Policy NONE = account -> Quota.NONE;
    }
}
