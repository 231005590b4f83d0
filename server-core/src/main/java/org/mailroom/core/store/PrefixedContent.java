package org.mailroom.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/** Header lines added in front of a message (trace fields) without copying the message. */
record PrefixedContent(byte[] header, MessageContent rest) implements MessageContent {

    @Override
    public long size() { return header.length + rest.size(); }

    @Override
    public long lines() {
        long n = 0;
        for (byte b : header) if (b == '\n') n++;
        return n + rest.lines();
    }

    @Override
    public InputStream open() throws IOException {
        return new SequenceInputStream(new ByteArrayInputStream(header), rest.open());
    }

    @Override
    public void discard() { rest.discard(); }
}
