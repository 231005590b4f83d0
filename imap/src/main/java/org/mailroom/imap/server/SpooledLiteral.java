package org.mailroom.imap.server;

import java.io.IOException;
import java.io.InputStream;
import org.mailroom.core.store.ContentBuffer;
import org.mailroom.imap.wire.Literal;

/**
 * An APPEND message that went to the spool directory while it arrived (its last part may still be in
 * memory). Read only on the blocking executor; the session discards its content there when the
 * command is over.
 */
final class SpooledLiteral implements Literal {
    private final ContentBuffer content;

    SpooledLiteral(ContentBuffer content) {
        this.content = content;
    }

    @Override public long size() { return content.size(); }

    @Override
    public byte[] bytes() {
        throw new IllegalStateException("a spooled literal is read with open()");
    }

    @Override
    public InputStream open() throws IOException {
        return content.open();
    }

    ContentBuffer content() { return content; }

    @Override public String toString() { return "{" + size() + ", spooled}"; }
}
