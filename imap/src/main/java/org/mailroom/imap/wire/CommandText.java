package org.mailroom.imap.wire;

import java.util.List;

/**
 * One whole command as received: its lines (without CRLF) and the literals between them. A command
 * with n literals has n + 1 lines; line i ends with the announcement of literal i ({@code {n}} or
 * {@code {n+}}), and the last line may be empty (the literal was the last argument).
 */
public record CommandText(List<String> lines, List<Literal> literals) {

    public CommandText {
        lines = List.copyOf(lines);
        literals = List.copyOf(literals);
        if (lines.size() != literals.size() + 1) {
            throw new IllegalArgumentException(lines.size() + " lines for " + literals.size() + " literals");
        }
    }

    public static CommandText of(String line) {
        return new CommandText(List.of(line), List.of());
    }
}
