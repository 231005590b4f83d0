package org.mailroom.daemon.control;

import java.util.Locale;

/**
 * One parsed request of the control channel.
 *
 * @param command what to do
 * @param id      the queue id for commands that take one (checked with
 *                {@link org.mailroom.delivery.queue.QueueId}), else null
 */
public record ControlRequest(Command command, String id) {

    /**
     * The command table: the words after {@code queue}, and whether a queue id follows; and
     * {@code reload} and {@code status}, requests of their own (no {@code queue} before them).
     */
    public enum Command {
        LIST(false), SHOW(true), FLUSH(false), DELETE(true), HOLD(true), RELEASE(true), RELOAD(false), STATUS(false);

        private final boolean takesId;

        Command(boolean takesId) { this.takesId = takesId; }

        public boolean takesId() { return takesId; }

        /** A {@code queue ...} command (all but {@link #RELOAD} and {@link #STATUS}). */
        public boolean isQueue() { return this != STATUS && this != RELOAD; }

        /** The word on the wire and on the command line: {@code list}, {@code show}, ... */
        public String word() { return name().toLowerCase(Locale.ROOT); }

        /** @return the queue command for {@code word} (lower case, as on the wire), or null */
        public static Command ofWord(String word) {
            for (Command c : values()) if (c.isQueue() && c.word().equals(word)) return c;
            return null;
        }
    }

    /** The request as one line without its line end: {@code queue hold 4XJ2K9ABCD}, {@code reload}, {@code status}. */
    public String line() {
        if (!command.isQueue()) return command.word();
        return "queue " + command.word() + (id == null ? "" : " " + id);
    }
}
