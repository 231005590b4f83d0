package org.mailroom.delivery.remote;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.mailroom.core.store.MessageContent;

/** Content held in memory, LF line ends, for tests. */
record BytesContent(byte[] bytes) implements MessageContent {
    static BytesContent of(String s) {
        return new BytesContent(s.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public long size() { return bytes.length; }

    @Override
    public long lines() {
        long n = 0;
        for (byte b : bytes) if (b == '\n') n++;
        return n;
    }

    @Override
    public InputStream open() { return new ByteArrayInputStream(bytes); }
}
