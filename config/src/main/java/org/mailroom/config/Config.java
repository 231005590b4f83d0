package org.mailroom.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The validated configuration: every key of {@link Keys#ALL} with a typed value. Immutable; a
 * reload builds a new one.
 */
public final class Config {
    private final Path configDir;
    private final Map<Key<?>, Object> values;
    private final Map<String, String> transports;
    private final Map<String, String> mailboxFormats;

    Config(Path configDir, Map<Key<?>, Object> values) {
        this(configDir, values, Map.of());
    }

    Config(Path configDir, Map<Key<?>, Object> values, Map<String, String> transports) {
        this(configDir, values, transports, Map.of());
    }

    Config(Path configDir, Map<Key<?>, Object> values, Map<String, String> transports,
           Map<String, String> mailboxFormats) {
        this.configDir = configDir;
        this.values = Map.copyOf(values);
        this.transports = Map.copyOf(transports);
        this.mailboxFormats = Map.copyOf(mailboxFormats);
    }

    /** {@code mailbox.format.<address>} entries: address (lower case) to {@code maildir} or {@code mbox}. */
    public Map<String, String> mailboxFormats() { return mailboxFormats; }

    /** The INBOX format of an account: its own entry, else {@code mailbox.format}. */
    public String mailboxFormat(String account) {
        String f = mailboxFormats.get(account.toLowerCase(java.util.Locale.ROOT));
        return f != null ? f : get(Keys.MAILBOX_FORMAT);
    }

    /** {@code transport.<domain>} entries: domain (lower case) to {@code local} or {@code [host]:port}. */
    public Map<String, String> transports() { return transports; }

    /** The embedded defaults alone, as if {@code mailroom.properties} were absent. */
    public static Config defaults(Path configDir) {
        Map<Key<?>, Object> v = new HashMap<>();
        for (Key<?> k : Keys.ALL) v.put(k, k.parse(k.defaultText()));
        return new Config(configDir, v);
    }

    /** The directory holding {@code mailroom.properties}, {@code users.properties} and the aliases. */
    public Path configDir() { return configDir; }

    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        Object v = values.get(key);
        if (v == null) throw new IllegalArgumentException("unknown key " + key);
        return (T) v;
    }

    /** A copy with one key replaced, for command-line overrides such as {@code --data}. */
    public <T> Config with(Key<T> key, String text) {
        Map<Key<?>, Object> v = new HashMap<>(values);
        v.put(key, key.parse(text));
        return new Config(configDir, v, transports, mailboxFormats);
    }

    /** A copy with {@code key} as in {@code other}: a reload taking one key of a newer configuration. */
    public <T> Config withValueOf(Key<T> key, Config other) {
        Map<Key<?>, Object> v = new HashMap<>(values);
        v.put(key, other.get(key));
        return new Config(configDir, v, transports, mailboxFormats);
    }

    /** The data directory, resolved against the working directory. */
    public Path dataDir() {
        return Path.of(get(Keys.DATA_DIR)).toAbsolutePath().normalize();
    }
}
