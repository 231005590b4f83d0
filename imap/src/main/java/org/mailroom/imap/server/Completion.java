package org.mailroom.imap.server;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * How a handler's command ends: the tagged {@code OK} now ({@link #ok()}), or later when a stage
 * completes ({@link #later}). Failures are not completions: they are {@link ImapNo},
 * {@link ImapBad} or {@link ImapBye}, thrown by the handler or completing the stage exceptionally.
 *
 * <p>{@link #thenClose()} ends the connection after the tagged response (LOGOUT);
 * {@link #afterWrite} runs on the event loop right after the tagged response was written and
 * flushed, before the next command is read (COMPRESS installs the compression layer there).
 */
public final class Completion {
    private final String code;
    private final String text;
    private final CompletionStage<Completion> stage;
    private final boolean close;
    private final Runnable afterWrite;

    private Completion(String code, String text, CompletionStage<Completion> stage, boolean close, Runnable afterWrite) {
        this.code = code;
        this.text = text;
        this.stage = stage;
        this.close = close;
        this.afterWrite = afterWrite;
    }

    /** {@code tag OK <NAME> completed}. */
    public static Completion ok() {
        return new Completion(null, null, null, false, null);
    }

    /** {@code tag OK text}. */
    public static Completion ok(String text) {
        return new Completion(null, Objects.requireNonNull(text), null, false, null);
    }

    /** {@code tag OK [code] text}; code without brackets, e.g. {@code READ-WRITE}. */
    public static Completion ok(String code, String text) {
        return new Completion(code, Objects.requireNonNull(text), null, false, null);
    }

    /**
     * The command goes on; the session keeps input paused (pipelined commands wait) until the
     * stage completes, on any thread: the session hops back to its event loop itself.
     */
    public static Completion later(CompletionStage<Completion> stage) {
        return new Completion(null, null, Objects.requireNonNull(stage), false, null);
    }

    /** This completion, and the connection closes once the tagged response is sent. */
    public Completion thenClose() {
        return new Completion(code, text, stage, true, afterWrite);
    }

    /** This completion, and {@code action} runs after the tagged response was written. */
    public Completion afterWrite(Runnable action) {
        return new Completion(code, text, stage, close, action);
    }

    public boolean pending() { return stage != null; }

    CompletionStage<Completion> stage() { return stage; }

    String code() { return code; }

    /** The text, or null for the default {@code <NAME> completed}. */
    String text() { return text; }

    boolean close() { return close; }

    Runnable afterWriteAction() { return afterWrite; }
}
