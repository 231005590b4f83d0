package org.mailroom.daemon.control;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.mailroom.delivery.queue.QueueId;

/**
 * Request lines of the control channel: {@code queue WORD [ID]}, {@code reload} or {@code status}, words
 * separated by single spaces or tabs, UTF-8, at most {@link #MAX_LINE} octets with the line end. Knows nothing of the queue
 * beyond the id rule; the server answers a {@link BadRequest} with {@code ERR <message>}.
 */
public final class ControlRequestParser {
    /** Octets in a request line, line end included. */
    public static final int MAX_LINE = 4096;

    /** A request that is not understood; the message is meant for the {@code ERR} line. */
    public static final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message);
        }
    }

    private ControlRequestParser() {}

    /** Parses the octets of one line, without its LF (a trailing CR is dropped). */
    public static ControlRequest parse(byte[] line) throws BadRequest {
        if (line.length >= MAX_LINE) throw new BadRequest("request longer than " + MAX_LINE + " octets");
        int n = line.length;
        if (n > 0 && line[n - 1] == '\r') n--;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("request is not UTF-8");
        }
        return parse(text);
    }

    /** Parses one line of text without its line end. */
    public static ControlRequest parse(String line) throws BadRequest {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw new BadRequest("control character in request");
        }
        String[] words = line.strip().isEmpty() ? new String[0] : line.strip().split("[ \t]+");
        if (words.length == 0) throw new BadRequest("empty request");
        if (words[0].equals("reload")) {
            if (words.length != 1) throw new BadRequest("reload takes no arguments");
            return new ControlRequest(ControlRequest.Command.RELOAD, null);
        }
        if (words[0].equals("status")) {
            if (words.length != 1) throw new BadRequest("status takes no arguments");
            return new ControlRequest(ControlRequest.Command.STATUS, null);
        }
        if (!words[0].equals("queue")) throw new BadRequest("unknown request \"" + words[0] + "\"");
        if (words.length < 2) throw new BadRequest("queue needs list, show, flush, delete, hold or release");
        ControlRequest.Command c = ControlRequest.Command.ofWord(words[1]);
        if (c == null || c == ControlRequest.Command.RELOAD) throw new BadRequest("unknown queue command \"" + words[1] + "\"");
        if (!c.takesId()) {
            if (words.length != 2) throw new BadRequest("queue " + c.word() + " takes no arguments");
            return new ControlRequest(c, null);
        }
        if (words.length != 3) throw new BadRequest("queue " + c.word() + " needs one queue ID");
        // the id becomes a file name: checked here, before any handler sees it
        if (!QueueId.isValid(words[2])) throw new BadRequest("not a queue ID: \"" + words[2] + "\"");
        return new ControlRequest(c, words[2]);
    }
}
