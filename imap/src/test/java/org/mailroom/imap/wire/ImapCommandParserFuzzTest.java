package org.mailroom.imap.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded mutation loop over valid commands (STYLE.md 1.5): whatever the mutated input, the parser
 * either returns a command or throws {@link ImapSyntaxException}; nothing else escapes, and a
 * parsed command's tag and name agree with {@link ImapCommandParser#tagOf} and
 * {@link ImapCommandParser#commandName}. The seed is fixed so a failure can be reproduced.
 */
class ImapCommandParserFuzzTest {

    static final List<String> SEEDS = List.of(
            "a001 CAPABILITY", "a NOOP", "a LOGOUT", "a STARTTLS", "a IDLE", "a CHECK", "a CLOSE", "a UNSELECT",
            "a NAMESPACE", "a AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=", "a AUTHENTICATE EXTERNAL =",
            "a001 LOGIN SMITH SESAME", "a LOGIN {4}\r\nfred {7+}\r\nsec ret", "t2 ENABLE CONDSTORE X-GOOD-IDEA",
            "a023 ID (\"name\" \"sodr\" \"version\" NIL)", "a ID NIL", "a COMPRESS DEFLATE",
            "A142 SELECT INBOX (CONDSTORE)",
            "B04 SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000 15000,22500,27000)))",
            "A932 EXAMINE blurdybloop", "t1 CREATE MySpecial (USE (\\Drafts \\Sent))", "A682 DELETE blurdybloop",
            "A683 RENAME blurdybloop {8}\r\nsarasoop", "A002 SUBSCRIBE #news.comp.mail.mime", "A UNSUBSCRIBE x",
            "A10 LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"Drafts\" \"Sent/%\") RETURN (CHILDREN STATUS (MESSAGES UNSEEN))",
            "A202 LIST ~/Mail/ %", "A002 LSUB \"#news.\" \"comp.mail.*\"", "A042 STATUS blurdybloop (UIDNEXT MESSAGES)",
            "A003 APPEND saved-messages (\\Seen) \" 7-Feb-1994 21:52:25 -0800\" {9}\r\nSubject: ",
            "A APPEND x (\\Seen) UTF8 (~{4+}\r\nGrü)", "A202 EXPUNGE", "A003 UID EXPUNGE 3000:3002",
            "A282 SEARCH RETURN (MIN COUNT) CHARSET UTF-8 FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"",
            "a UID SEARCH OR (UID 1:* MODSEQ \"/flags/\\\\draft\" all 620162338) NOT $ HEADER X-A {3}\r\nabc",
            "a SEARCH 2,4:7,* LARGER 100 SMALLER 5 SENTON \"1-jan-2000\" KEYWORD $Junk UNSEEN NEW OLD RECENT TEXT x",
            "A654 FETCH 2:4 (FLAGS BODY.PEEK[1.2.HEADER.FIELDS.NOT (DATE FROM)]<0.100> BINARY[1] BINARY.SIZE[2])",
            "s100 UID FETCH 300:500 (FLAGS MODSEQ) (CHANGEDSINCE 12345 VANISHED)", "a FETCH 1:* FULL",
            "a103 UID STORE 6,4,8 (UNCHANGEDSINCE 12121230045) +FLAGS.SILENT (\\Deleted)",
            "a STORE 1 -FLAGS \\Seen $Junk", "A003 COPY 2:4 MEETING", "a UID MOVE 42:69 foo",
            "G0001 GETQUOTA \"!partition/sda4\"", "A003 GETQUOTAROOT INBOX", "S SETQUOTA \"\" (STORAGE 512)");

    private static final String ALPHABET = " ()[]{}<>\"\\*%$~+-.:,=0123456789aAzZ\u0000\u007f\u00e4\u20ac~";

    @Test
    void seedsParse() throws Exception {
        for (String seed : SEEDS) {
            assertNotNull(Wire.parse(seed), seed);
        }
    }

    // A hang guard, not a speed check: the loop takes about a second.
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void mutatedCommandsOnlyEverThrowSyntaxErrors() {
        Random random = new Random(20_261_123L);
        int parsed = 0;
        for (int i = 0; i < 100_000; i++) {
            CommandText seed = Wire.command(SEEDS.get(random.nextInt(SEEDS.size())));
            CommandText mutated = mutate(seed, random);
            try {
                ImapCommandParser.Tagged t = ImapCommandParser.parse(mutated);
                String first = mutated.lines().get(0);
                assertEquals(ImapCommandParser.tagOf(first), t.tag(), first);
                assertNotNull(ImapCommandParser.commandName(first), first);
                parsed++;
            } catch (ImapSyntaxException expected) {
                // the session's BAD
            } catch (RuntimeException | Error e) {
                fail("escaped " + e + " for " + describe(mutated), e);
            }
        }
        // Mutations that keep a command valid (a changed tag, number or string) do occur.
        assertTrue(parsed > 0, "no mutation stayed valid");
    }

    private static CommandText mutate(CommandText text, Random random) {
        List<String> lines = new ArrayList<>(text.lines());
        List<Literal> literals = new ArrayList<>(text.literals());
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            int li = random.nextInt(lines.size());
            String line = lines.get(li);
            int pos = line.isEmpty() ? 0 : random.nextInt(line.length() + 1);
            switch (random.nextInt(8)) {
                case 0 -> line = line.substring(0, Math.min(pos, line.length())); // truncate
                case 1 -> { // delete one char
                    if (pos < line.length()) {
                        line = line.substring(0, pos) + line.substring(pos + 1);
                    }
                }
                case 2, 3 -> line = line.substring(0, pos) + ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                        + line.substring(pos); // insert
                case 4 -> { // duplicate a span
                    int end = Math.min(line.length(), pos + random.nextInt(12));
                    line = line.substring(0, end) + line.substring(pos, end) + line.substring(end);
                }
                case 5 -> { // replace one char
                    if (pos < line.length()) {
                        line = line.substring(0, pos) + ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                                + line.substring(pos + 1);
                    }
                }
                case 6 -> { // deep nesting or a long repetition
                    String unit = random.nextBoolean() ? "(" : random.nextBoolean() ? "NOT " : "OR ALL ";
                    line = line.substring(0, pos) + unit.repeat(random.nextInt(400)) + line.substring(pos);
                }
                default -> { // garble a literal's octets or size
                    if (!literals.isEmpty()) {
                        int k = random.nextInt(literals.size());
                        byte[] b = new byte[random.nextInt(6)];
                        random.nextBytes(b);
                        literals.set(k, Literal.of(b));
                    }
                }
            }
            lines.set(li, line);
        }
        return new CommandText(lines, literals);
    }

    private static String describe(CommandText text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.lines().size(); i++) {
            sb.append('[').append(text.lines().get(i).replace("\u0000", "\\0")).append(']');
            if (i < text.literals().size()) {
                sb.append('{').append(text.literals().get(i).size()).append(" octets}");
            }
        }
        return sb.toString();
    }
}
