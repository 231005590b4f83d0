package org.mailroom.core.store;

/** RFC 9051 6.3.11 STATUS items of one folder. {@code size} is the sum of RFC822.SIZE (RFC 8438). */
public record MailboxStatus(long messages, long unseen, long deleted, long size, long uidNext, long uidValidity,
                           long highestModSeq, long recent) {}
