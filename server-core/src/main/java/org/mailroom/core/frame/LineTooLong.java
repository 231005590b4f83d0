package org.mailroom.core.frame;

/** A line exceeded {@code limit} octets; the decoder drops the rest of it up to the next LF. */
public record LineTooLong(int limit) {}
