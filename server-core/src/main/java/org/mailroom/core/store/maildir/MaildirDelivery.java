package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.StoreDelivery;

/**
 * One message into one or more Maildirs: {@link #write} creates and fdatasyncs a file in each
 * {@code tmp/}; {@link #commit} renames them into {@code new/} and waits for the (shared) fsync of
 * each {@code new/} directory.
 */
final class MaildirDelivery implements StoreDelivery {
    private final MaildirStore store;
    private final Set<Path> maildirs = new LinkedHashSet<>();
    private final java.util.Map<Path, String> accounts = new java.util.HashMap<>();
    private final List<Path[]> staged = new ArrayList<>(); // {tmp file, final file}
    private boolean committed;

    MaildirDelivery(MaildirStore store) {
        this.store = store;
    }

    @Override
    public void addRecipient(String account) {
        Path dir = store.maildir(account);
        maildirs.add(dir);
        accounts.putIfAbsent(dir, account);
    }

    @Override
    public void write(MessageContent content) throws IOException {
        long size = content.size();
        long rfc822Size = size + content.lines(); // content has LF line ends only
        for (Path dir : maildirs) {
            store.ensureMaildir(dir);
            String account = accounts.get(dir);
            if (account != null) store.checkQuota(account, rfc822Size);
            String name = MaildirName.unique(store.hostname(), size, rfc822Size);
            Path tmp = dir.resolve("tmp").resolve(name);
            staged.add(new Path[] {tmp, dir.resolve("new").resolve(name)});
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 InputStream in = content.open()) {
                OutputStream out = Channels.newOutputStream(ch);
                in.transferTo(out);
                ch.force(false); // fdatasync: data and size, before the name becomes visible
            } catch (java.nio.file.NoSuchFileException e) {
                store.forget(dir); // the Maildir was removed under us; the retry re-creates it
                throw e;
            }
        }
    }

    @Override
    public void commit() throws IOException {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path[] s : staged) {
            Files.move(s[0], s[1], StandardCopyOption.ATOMIC_MOVE);
            dirs.add(s[1].getParent());
        }
        committed = true;
        for (Path d : dirs) store.dirSync(d).sync();
        store.delivered(maildirs);
    }

    @Override
    public void abort() {
        if (committed) return;
        for (Path[] s : staged) {
            try {
                Files.deleteIfExists(s[0]);
            } catch (IOException ignored) {
                // XXX a leftover in tmp/ is harmless; Maildir readers ignore tmp/
            }
        }
        staged.clear();
    }
}
