package org.mailroom.imap.message;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The stored octets of one message, readable any number of times, with LF, CRLF or mixed line ends
 * (whatever the Maildir file holds); this package does the CRLF conversion, a source never does.
 * Opening may block (disk), so it is only called on the blocking executor or from a stream the
 * session pulls off the event loop. A lambda over the store will do:
 * {@code MessageSource src = () -> mailbox.open(uid);} (then {@link #open(long)} skips).
 */
@FunctionalInterface
public interface MessageSource {

    /** A new stream over all stored octets; the caller closes it. */
    InputStream open() throws IOException;

    /**
     * A new stream starting at a stored offset (as {@link MessagePart} keeps them). The default
     * skips; file-backed sources seek.
     */
    default InputStream open(long storedOffset) throws IOException {
        InputStream in = open();
        try {
            in.skipNBytes(storedOffset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
        return in;
    }

    static MessageSource of(byte[] stored) {
        return new MessageSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(stored);
            }

            @Override
            public InputStream open(long storedOffset) {
                int off = (int) Math.min(storedOffset, stored.length);
                return new ByteArrayInputStream(stored, off, stored.length - off);
            }
        };
    }

    /** A file; {@link #open(long)} seeks. */
    static MessageSource of(Path file) {
        return new MessageSource() {
            @Override
            public InputStream open() throws IOException {
                return open(0);
            }

            @Override
            public InputStream open(long storedOffset) throws IOException {
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                try {
                    ch.position(storedOffset);
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                return Channels.newInputStream(ch);
            }
        };
    }
}
