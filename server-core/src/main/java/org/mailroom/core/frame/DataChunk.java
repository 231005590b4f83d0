package org.mailroom.core.frame;

import io.netty.buffer.ByteBuf;

/**
 * A piece of message content. In DATA mode it is dot-unstuffed with CR LF turned into LF (the
 * form Maildir stores); in counted mode it is the raw octets. The receiver owns the buffer and
 * must release it.
 */
public record DataChunk(ByteBuf content) {}
