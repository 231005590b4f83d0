package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/**
 * One message in the store's mboxrd form ({@link MboxFormat}), for appending to a file outside the
 * store: issue 8's {@code /file} targets of a {@code ~/.forward}, which are written by another
 * process (as the user), so only the bytes are made here.
 */
public final class MboxMessage {
    private MboxMessage() {}

    /**
     * Writes the {@code From <sender> <asctime>} separator, the content with {@code >*From }
     * lines quoted once more, a final newline if it lacked one, and the blank line after it. No
     * flag headers. {@code sender} empty or null: {@code MAILER-DAEMON}.
     */
    public static void write(OutputStream out, String sender, Instant date, ZoneId zone, InputStream content)
            throws IOException {
        MboxFormat.write(out, MboxFormat.separator(sender, date, zone), content, 0, Set.of(), true);
    }
}
