package org.mailroom.core.store.maildir;

import org.mailroom.core.io.DirectorySync;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-mailbox index file {@code mailroom-uidlist}:
 * <pre>
 * mailroom-uidlist 1 &lt;uidvalidity&gt; &lt;uidnext&gt;
 * &lt;uid&gt; &lt;size&gt; &lt;rfc822size&gt; &lt;internal date, epoch ms&gt; &lt;base name&gt;
 * </pre>
 * Entries ascend by UID. Written to a temporary file, forced, renamed over the old one and the
 * directory forced, so a crash leaves either the old or the new list. Not thread-safe: the mailbox
 * lock serialises users.
 */
final class UidList {
    static final String FILE = "mailroom-uidlist";
    private static final String MAGIC = "mailroom-uidlist 1";

    record Entry(long uid, long size, long rfc822Size, long internalDate, String base) {}

    long uidValidity;
    long uidNext;
    final LinkedHashMap<String, Entry> byBase = new LinkedHashMap<>();

    /** Thrown for a list that exists but cannot be trusted; the caller rebuilds it. */
    static final class Corrupt extends IOException {
        private static final long serialVersionUID = 1L;
        Corrupt(String m) { super(m); }
    }

    /** @return null when there is no list yet */
    static UidList read(Path root) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new Corrupt("not UTF-8");
        }
        if (lines.isEmpty()) throw new Corrupt("empty");
        String[] h = lines.get(0).split(" ");
        if (h.length != 4 || !(h[0] + " " + h[1]).equals(MAGIC)) throw new Corrupt("bad header");
        UidList l = new UidList();
        try {
            l.uidValidity = Long.parseLong(h[2]);
            l.uidNext = Long.parseLong(h[3]);
            long prev = 0;
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ", 5);
                if (f.length != 5) throw new Corrupt("bad line " + (i + 1));
                Entry e = new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), f[4]);
                if (e.uid() <= prev || e.uid() >= l.uidNext) throw new Corrupt("uid out of order on line " + (i + 1));
                prev = e.uid();
                l.byBase.put(e.base(), e);
            }
        } catch (NumberFormatException e) {
            throw new Corrupt("bad number");
        }
        if (l.uidValidity <= 0 || l.uidNext <= 0) throw new Corrupt("bad header values");
        return l;
    }

    void write(Path root) throws IOException {
        Path tmp = root.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Writer w = Channels.newWriter(ch, StandardCharsets.UTF_8);
            w.write(MAGIC + " " + uidValidity + " " + uidNext + "\n");
            StringBuilder sb = new StringBuilder(64);
            for (Map.Entry<String, Entry> me : byBase.entrySet()) {
                Entry e = me.getValue();
                sb.setLength(0);
                sb.append(e.uid()).append(' ').append(e.size()).append(' ').append(e.rfc822Size()).append(' ')
                        .append(e.internalDate()).append(' ').append(e.base()).append('\n');
                w.write(sb.toString());
            }
            w.flush();
            ch.force(false);
        }
        Files.move(tmp, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.force(root);
    }
}
