package org.mailroom.core.frame;

/**
 * The end of a DATA transfer (the CR LF "." CR LF) or of a counted block.
 *
 * @param wireSize octets as transmitted, without dot-stuffing and the final dot line (the RFC 1870
 *                 measure, compared with SIZE)
 * @param bareCr   a CR not followed by LF was seen (RFC 5321 2.3.8 forbids it)
 * @param bareLf   an LF not preceded by CR was seen
 * @param tooBig   more than the limit was sent; the content delivered in chunks was cut at the limit
 */
public record DataEnd(long wireSize, boolean bareCr, boolean bareLf, boolean tooBig) {}
