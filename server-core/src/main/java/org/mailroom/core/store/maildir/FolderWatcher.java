package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices files that other programs put into or rename in the {@code new/} and {@code cur/} of
 * folders that are open in this process (a Maildir written by procmail, mutt marking a message read)
 * and refreshes those folders, so IDLE sessions learn of them without polling (Dovecot uses inotify
 * the same way; the JDK's WatchService is inotify on Linux). One daemon thread; events that arrive
 * together are handled by one refresh per folder. Our own changes also raise events; the refresh
 * that follows finds nothing new (two stats).
 *
 * <p>Two watches per loaded folder, removed when the folder is unloaded (Linux allows
 * fs.inotify.max_user_watches, 8192+ by default).
 */
final class FolderWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);

    private final WatchService watch;
    private final Map<WatchKey, FolderState> folders = new ConcurrentHashMap<>();
    private final Thread thread;

    FolderWatcher() throws IOException {
        watch = FileSystems.getDefault().newWatchService();
        thread = new Thread(this::run, "maildir-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches {@code new/} and {@code cur/} of the folder from now on. */
    void watch(FolderState f) {
        for (String sub : new String[] {"new", "cur"}) {
            try {
                WatchKey k = f.dir.resolve(sub).register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                folders.put(k, f);
            } catch (IOException | ClosedWatchServiceException e) {
                log.debug("cannot watch {}: {}", f.dir.resolve(sub), e.toString());
            }
        }
    }

    /** Stops watching the folder (its state was unloaded). */
    void unwatch(FolderState f) {
        folders.entrySet().removeIf(e -> {
            if (e.getValue() != f) return false;
            e.getKey().cancel();
            return true;
        });
    }

    private void run() {
        while (true) {
            WatchKey first;
            try {
                first = watch.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            Set<FolderState> changed = new LinkedHashSet<>();
            WatchKey k = first;
            try {
                // a burst of renames (a client marking many messages) becomes one refresh per folder
                while (k != null) {
                    k.pollEvents();
                    FolderState f = folders.get(k);
                    if (!k.reset()) folders.remove(k);
                    if (f != null) changed.add(f);
                    k = watch.poll(5, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            for (FolderState f : changed) {
                try {
                    f.refresh();
                } catch (IOException | RuntimeException e) {
                    log.warn("{}: {}: refresh after an outside change failed: {}", f.account, f.name, e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
