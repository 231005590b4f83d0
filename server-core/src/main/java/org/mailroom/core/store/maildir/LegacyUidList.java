package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Reads the text UID list {@code mailroom-uidlist} of Mailroom 0.1 (before {@link FolderIndex}) so
 * that existing mailboxes keep their UIDVALIDITY and UIDs:
 * <pre>
 * mailroom-uidlist 1 &lt;uidvalidity&gt; &lt;uidnext&gt;
 * &lt;uid&gt; &lt;size&gt; &lt;rfc822size&gt; &lt;internal date, epoch ms&gt; &lt;base name&gt;
 * </pre>
 */
final class LegacyUidList {
    static final String FILE = "mailroom-uidlist";
    private static final String MAGIC = "mailroom-uidlist 1";

    private LegacyUidList() {}

    /** Moves the old list aside once the new index holds its content. */
    static void retire(Path root) throws IOException {
        if (Files.exists(root.resolve(FILE))) {
            Files.move(root.resolve(FILE), root.resolve(FILE + ".imported"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Fills {@code s} from the old list; false when there is none or it is unreadable. */
    static boolean importInto(Path root, FolderIndex.State s) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return false;
        } catch (java.nio.charset.MalformedInputException e) {
            return false;
        }
        if (lines.isEmpty()) return false;
        String[] h = lines.get(0).split(" ");
        if (h.length != 4 || !(h[0] + " " + h[1]).equals(MAGIC)) return false;
        try {
            long uidValidity = Long.parseLong(h[2]);
            long uidNext = Long.parseLong(h[3]);
            java.util.TreeMap<Long, FolderIndex.Entry> entries = new java.util.TreeMap<>();
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ", 5);
                if (f.length != 5) return false;
                long uid = Long.parseLong(f[0]);
                if (uid <= 0 || uid >= uidNext) return false;
                entries.put(uid, new FolderIndex.Entry(uid, Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3]), 0, 0, 1, f[4]));
            }
            if (uidValidity <= 0) return false;
            s.uidValidity = uidValidity;
            s.uidNext = uidNext;
            s.entries.putAll(entries);
        } catch (NumberFormatException e) {
            return false;
        }
        return true;
    }
}
