package org.mailroom.imap.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailroom.core.store.Flag;

/** A candidate for tests: attributes set by the test, content from bytes, stream opens counted. */
class TestMessage implements Candidate {

    long seq = 1;
    long uid = 1;
    long largestSeq = 1;
    long largestUid = 1;
    final Set<Flag> flags = EnumSet.noneOf(Flag.class);
    final Set<String> keywords = new HashSet<>();
    boolean recent;
    Instant internalDate = Instant.parse("2024-03-10T12:00:00Z");
    long size = 1000;
    long modSeq = 1;
    byte[] content = "Subject: nothing\n\nbody\n".getBytes(StandardCharsets.US_ASCII);
    final AtomicInteger headerOpens = new AtomicInteger();
    final AtomicInteger messageOpens = new AtomicInteger();

    static TestMessage of(String text) {
        return new TestMessage().content(text);
    }

    /** The text as ISO-8859-1 octets (so "\u00e9" is one 8-bit octet), LF line ends kept. */
    TestMessage content(String text) {
        return content(text, StandardCharsets.ISO_8859_1);
    }

    TestMessage content(String text, Charset octets) {
        this.content = text.getBytes(octets);
        return this;
    }

    TestMessage bytes(byte[] raw) {
        this.content = raw;
        return this;
    }

    /** The same content with CRLF line ends. */
    TestMessage crlf() {
        String s = new String(content, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        this.content = s.getBytes(StandardCharsets.ISO_8859_1);
        return this;
    }

    TestMessage flag(Flag... fs) {
        for (Flag f : fs) {
            flags.add(f);
        }
        return this;
    }

    TestMessage keyword(String k) {
        keywords.add(k.toLowerCase(Locale.ROOT));
        return this;
    }

    TestMessage at(long seq, long uid, long largestSeq, long largestUid) {
        this.seq = seq;
        this.uid = uid;
        this.largestSeq = largestSeq;
        this.largestUid = largestUid;
        return this;
    }

    int opens() {
        return headerOpens.get() + messageOpens.get();
    }

    @Override public long seq() { return seq; }
    @Override public long uid() { return uid; }
    @Override public long largestSeq() { return largestSeq; }
    @Override public long largestUid() { return largestUid; }
    @Override public boolean hasFlag(Flag flag) { return flags.contains(flag); }
    @Override public boolean hasKeyword(String keyword) { return keywords.contains(keyword.toLowerCase(Locale.ROOT)); }
    @Override public boolean isRecent() { return recent; }
    @Override public Instant internalDate() { return internalDate; }
    @Override public long rfc822Size() { return size; }
    @Override public long modSeq() { return modSeq; }

    @Override
    public InputStream openMessage() throws IOException {
        messageOpens.incrementAndGet();
        return new ByteArrayInputStream(content);
    }

    @Override
    public InputStream openHeader() throws IOException {
        headerOpens.incrementAndGet();
        return new ByteArrayInputStream(content);
    }
}
