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
     * {@code status}, a request of its own (no {@code queue} before it).
     */
    public enum Command {
        LIST(false), SHOW(true), FLUSH(false), DELETE(true), HOLD(true), RELEASE(true), STATUS(false);

        private final boolean takesId;

        Command(boolean takesId) { this.takesId = takesId; }

        public boolean takesId() { return takesId; }

        /** A {@code queue ...} command (all but {@link #STATUS}). */
        public boolean isQueue() { return this != STATUS; }

        /** The word on the wire and on the command line: {@code list}, {@code show}, ... */
        public String word() { return name().toLowerCase(Locale.ROOT); }

        /** @return the queue command for {@code word} (lower case, as on the wire), or null */
        public static Command ofWord(String word) {
            for (Command c : values()) if (c.isQueue() && c.word().equals(word)) return c;
            return null;
        }
    }

    /** The request as one line without its line end: {@code queue hold 4XJ2K9ABCD}, {@code status}. */
    public String line() {
        if (!command.isQueue()) return command.word();
        return "queue " + command.word() + (id == null ? "" : " " + id);
    }
}
