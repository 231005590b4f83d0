package org.mailroom.delivery.route;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Supplier;
import org.mailroom.config.ConfigError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aliases file as the router sees it: re-read when its modification time changes, so an
 * edit takes effect without a restart. A file that no longer parses is reported once and the
 * previous aliases stay in force. Thread-safe; {@link #get} may stat the file (blocking).
 */
public final class AliasesFile implements Supplier<Aliases> {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.aliases");

    private final Path file;
    private volatile Aliases current;
    private volatile FileTime loadedMtime;

    /** Loads the file now; a broken file at start is a configuration error. */
    public AliasesFile(Path file) throws ConfigError {
        this.file = file;
        this.loadedMtime = mtime();
        this.current = Aliases.load(file);
    }

    @Override
    public Aliases get() {
        FileTime m = mtime();
        if (m == null ? loadedMtime != null : !m.equals(loadedMtime)) {
            synchronized (this) {
                if (m == null ? loadedMtime != null : !m.equals(loadedMtime)) {
                    loadedMtime = m;
                    try {
                        current = Aliases.load(file);
                        log.info("aliases: reloaded {} ({} names)", file, current.size());
                    } catch (ConfigError e) {
                        log.warn("aliases: {}; keeping the previous aliases", e.oneLine());
                    }
                }
            }
        }
        return current;
    }

    private FileTime mtime() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return loadedMtime;
        }
    }
}
