package org.mailroom.config;

import java.nio.file.Path;

/**
 * A configuration problem, printed as one line an administrator can act on:
 * {@code conf/mailroom.properties:12: smtp.listen: bad address "x" (expected host:port)}.
 */
public final class ConfigError extends Exception {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final int line;
    private final String key;

    public ConfigError(Path file, int line, String key, String message) {
        super(message);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public Path file() { return file; }

    /** 1-based line number, or 0 when the problem is not tied to a line (a missing file). */
    public int line() { return line; }

    /** The key concerned, or null. */
    public String key() { return key; }

    /** The one-line form: {@code file:line: key: message}. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<config>" : file.toString());
        if (line > 0) sb.append(':').append(line);
        sb.append(": ");
        if (key != null) sb.append(key).append(": ");
        sb.append(getMessage());
        return sb.toString();
    }

    @Override
    public String toString() { return oneLine(); }
}
