package org.mailroom.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.mailroom.config.ConfigError;
import org.mailroom.config.ConfigLoader;
import org.mailroom.config.Key;
import org.mailroom.core.store.Quota;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@link Quota.Policy}: {@code quota.storage} and {@code quota.messages} for every
 * account, overridden per account by the {@code quotas} file in the config directory
 * ({@code alice@example.org = 2G 50000}: storage, then optionally messages; {@code 0} is no limit).
 * The file is read again when it changes (one stat per question); a broken file is reported once
 * (file:line: key: reason) and the last good one stays in force.
 */
final class QuotaFile implements Quota.Policy {
    private static final Logger log = LoggerFactory.getLogger("quota");

    private final Path file;
    private final Quota defaults;
    private volatile Map<String, Quota> byAccount = Map.of();
    private volatile FileTime seen;

    QuotaFile(Path file, long storage, long messages) {
        this.file = file;
        this.defaults = new Quota(storage, messages, 0, 0);
    }

    @Override
    public Quota of(String account) {
        refresh();
        return byAccount.getOrDefault(account.toLowerCase(Locale.ROOT), defaults);
    }

    private void refresh() {
        FileTime t;
        try {
            t = Files.getLastModifiedTime(file);
        } catch (NoSuchFileException e) {
            byAccount = Map.of();
            seen = null;
            return;
        } catch (IOException e) {
            return;
        }
        if (t.equals(seen)) return;
        synchronized (this) {
            if (t.equals(seen)) return;
            try {
                byAccount = load(file);
            } catch (ConfigError e) {
                log.warn("{}; keeping the quotas read before", e.getMessage());
            }
            seen = t;
        }
    }

    /** Parses the file; used by check-config too. */
    static Map<String, Quota> load(Path file) throws ConfigError {
        Map<String, ConfigLoader.Entry> entries;
        try {
            entries = ConfigLoader.readEntries(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
        Map<String, Quota> m = new HashMap<>();
        for (ConfigLoader.Entry e : entries.values()) {
            if (e.key().indexOf('@') <= 0) throw new ConfigError(file, e.line(), e.key(), "expected an account address");
            String[] v = e.value().trim().split("\\s+");
            try {
                if (v.length > 2 || v[0].isEmpty()) throw new IllegalArgumentException("expected <storage> [<messages>]");
                long storage = Key.size(v[0]);
                long messages = v.length == 2 ? Long.parseLong(v[1]) : 0;
                if (messages < 0) throw new IllegalArgumentException("negative message count");
                m.put(e.key().toLowerCase(Locale.ROOT), new Quota(storage, messages, 0, 0));
            } catch (NumberFormatException ex) {
                throw new ConfigError(file, e.line(), e.key(), "bad message count \"" + v[1] + "\"");
            } catch (IllegalArgumentException ex) {
                throw new ConfigError(file, e.line(), e.key(), ex.getMessage());
            }
        }
        return Map.copyOf(m);
    }
}
