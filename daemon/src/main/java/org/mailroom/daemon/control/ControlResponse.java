package org.mailroom.daemon.control;

import java.util.List;

/**
 * What a command answers: data lines, then {@code OK} or {@code ERR <error>}.
 *
 * @param lines data lines, without line ends; never contain CR or LF
 * @param error null for {@code OK}, else the message of the {@code ERR} line
 */
public record ControlResponse(List<String> lines, String error) {
    public ControlResponse {
        lines = List.copyOf(lines);
    }

    public static ControlResponse ok(List<String> lines) { return new ControlResponse(lines, null); }

    public static ControlResponse ok() { return ok(List.of()); }

    public static ControlResponse err(String message) { return new ControlResponse(List.of(), message); }

    public boolean isOk() { return error == null; }

    /** The status line: {@code OK} or {@code ERR <message>}. */
    public String statusLine() { return error == null ? "OK" : "ERR " + error; }
}
