package org.mailroom.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 9051 6.3.9 LIST wildcards. */
class WildcardMatchTest {

    @Test
    void starCrossesLevelsPercentDoesNot() {
        String[][] cases = {
            {"*", "a/b/c", "true"}, {"%", "a/b", "false"}, {"%", "a", "true"}, {"a/%", "a/b", "true"},
            {"a/%", "a/b/c", "false"}, {"a/*", "a/b/c", "true"}, {"a*c", "a/b/c", "true"}, {"a%c", "a/b/c", "false"},
            {"a%c", "abc", "true"}, {"%/%", "a/b", "true"}, {"", "a", "false"}, {"a", "a", "true"}, {"a", "A", "false"},
            {"inbox", "INBOX", "true"}, {"InBox/%", "INBOX/x", "true"}, {"*x", "INBOX", "false"}, {"%%%%", "abc", "true"},
        };
        for (String[] c : cases) {
            assertEquals(Boolean.parseBoolean(c[2]), WildcardMatch.matches(c[0], c[1]), c[0] + " ~ " + c[1]);
        }
    }

    @Test
    void hostilePatternsStayLinear() {
        String pattern = "*a".repeat(500) + "b";
        String name = "a".repeat(200);
        assertEquals(false, WildcardMatch.matches(pattern, name)); // a backtracking matcher would not return
    }
}
