/**
 * Typed, validated configuration: {@link org.mailroom.config.Keys} declares every key with its type,
 * default and one-line documentation; {@link org.mailroom.config.ConfigLoader} reads
 * {@code mailroom.properties} keeping line numbers so that every error names file, line and key
 * ({@link org.mailroom.config.ConfigError}); {@link org.mailroom.config.Config} is the immutable result.
 *
 * <p>Invariants: a {@code Config} is immutable and complete (every key has a value, the default
 * where the file is silent); unknown keys are errors, never ignored; nothing here opens a socket.
 */
package org.mailroom.config;
