package org.mailroom.imap.wire;

/**
 * A literal announcement {@code {n}} or {@code {n+}} (RFC 9051 4.3, RFC 7888 LITERAL+/LITERAL-)
 * found at the end of a command line by {@link ImapReader#literalMarker()}. The session sends
 * {@code + } for a synchronizing literal and then reads {@code size} octets with the framing layer's
 * counted mode; the parser itself never sees the octets.
 *
 * @param size the announced octet count, {@code >= 0}
 * @param nonSynchronizing {@code true} for {@code {n+}}: the client sends the octets without waiting
 */
public record LiteralMarker(long size, boolean nonSynchronizing) {

    public LiteralMarker {
        if (size < 0) {
            throw new IllegalArgumentException("negative literal size " + size);
        }
    }

    @Override
    public String toString() {
        return "{" + size + (nonSynchronizing ? "+}" : "}");
    }
}
