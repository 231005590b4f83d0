package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mailroom.core.io.DirectorySync;

/**
 * The side index of an mbox INBOX, kept in the account's data directory (never beside the mbox:
 * {@code /var/mail} is not ours): UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and, in file order, each
 * message's UID, identity key, mod-sequence, flags and keywords as last seen. Text, rewritten whole
 * (temporary file, fsync, rename, directory fsync) after every change; an mbox rewrite costs
 * O(file) anyway.
 *
 * <pre>
 * mailroom-mbox-index 1
 * &lt;uidvalidity&gt; &lt;uidnext&gt; &lt;highestmodseq&gt;
 * &lt;uid&gt; &lt;key hex&gt; &lt;modseq&gt; &lt;flag bits&gt; [keyword ...]
 * </pre>
 */
final class MboxIndex {
    private static final String MAGIC = "mailroom-mbox-index 1";

    record Entry(long uid, long key, long modSeq, int flags, Set<String> keywords) {}

    static final class State {
        long uidValidity;
        long uidNext = 1;
        long highestModSeq;
        final List<Entry> entries = new ArrayList<>();
    }

    /** Thrown for an index that cannot be read; it is rebuilt with a new UIDVALIDITY. */
    static final class Corrupt extends IOException {
        private static final long serialVersionUID = 1L;

        Corrupt(String m) { super(m); }
    }

    private MboxIndex() {}

    /** The index, or null when there is none. */
    static State load(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Corrupt("not UTF-8");
        }
        if (lines.size() < 2 || !lines.get(0).equals(MAGIC)) throw new Corrupt("bad header");
        State s = new State();
        try {
            String[] h = lines.get(1).split(" ");
            s.uidValidity = Long.parseLong(h[0]);
            s.uidNext = Long.parseLong(h[1]);
            s.highestModSeq = Long.parseLong(h[2]);
            for (int i = 2; i < lines.size(); i++) {
                String[] w = lines.get(i).split(" ");
                Set<String> kws = w.length > 4 ? new TreeSet<>(String.CASE_INSENSITIVE_ORDER) : Set.of();
                if (w.length > 4) kws.addAll(Arrays.asList(w).subList(4, w.length));
                s.entries.add(new Entry(Long.parseLong(w[0]), Long.parseUnsignedLong(w[1], 16), Long.parseLong(w[2]),
                        Integer.parseInt(w[3]), kws.isEmpty() ? Set.of() : Collections.unmodifiableSet(kws)));
            }
        } catch (RuntimeException e) {
            throw new Corrupt("bad line: " + e.getMessage());
        }
        if (s.uidValidity <= 0 || s.uidNext <= 0) throw new Corrupt("bad UIDVALIDITY or UIDNEXT");
        return s;
    }

    /** Replaces the index durably. */
    static void save(Path file, State s) throws IOException {
        StringBuilder b = new StringBuilder(64 + s.entries.size() * 48);
        b.append(MAGIC).append('\n');
        b.append(s.uidValidity).append(' ').append(s.uidNext).append(' ').append(s.highestModSeq).append('\n');
        for (Entry e : s.entries) {
            b.append(e.uid()).append(' ').append(Long.toHexString(e.key())).append(' ').append(e.modSeq())
                    .append(' ').append(e.flags());
            for (String k : e.keywords()) b.append(' ').append(k);
            b.append('\n');
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bb = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
            while (bb.hasRemaining()) ch.write(bb);
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.force(file.getParent());
    }
}
