package org.mailroom.imap.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The octets of one literal a client sent (RFC 9051 4.3). Small literals (strings, search keys) are
 * held in memory; the session may back a large one (an APPEND message) by a spill file, so
 * {@link #bytes()} is only for values known to be small.
 */
public interface Literal {

    long size();

    /** The octets in memory; throws {@link IllegalStateException} for a literal kept elsewhere. */
    byte[] bytes();

    InputStream open() throws IOException;

    static Literal of(byte[] octets) {
        return new Literal() {
            @Override public long size() { return octets.length; }
            @Override public byte[] bytes() { return octets; }
            @Override public InputStream open() { return new ByteArrayInputStream(octets); }
            @Override public String toString() { return "{" + octets.length + "}"; }
        };
    }
}
