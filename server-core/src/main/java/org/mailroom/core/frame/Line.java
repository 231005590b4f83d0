package org.mailroom.core.frame;

/**
 * One command line without its line end, decoded as UTF-8 (invalid sequences become U+FFFD, so
 * 8-bit input stays visible as non-ASCII). {@code bareLf} is true when the line ended with LF alone.
 */
public record Line(String text, boolean bareLf) {}
