package org.mailroom.delivery.queue;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailroom.delivery.queue.QueueEntry.Body;
import org.mailroom.delivery.queue.QueueEntry.Origin;
import org.mailroom.delivery.queue.QueueEntry.Recipient;
import org.mailroom.delivery.queue.QueueEntry.Recipient.Notify;
import org.mailroom.delivery.queue.QueueEntry.Ret;

class QueueEntryFormatTest {
    static final Instant T0 = Instant.parse("2026-11-23T19:00:00Z");

    static QueueEntry sample(String id) {
        return new QueueEntry(id, "alice@example.org", T0, "QQ314159", Ret.HDRS, Body.EIGHT_BIT_MIME, false,
                new Origin("submission", "192.0.2.7", "laptop.example.org", "ESMTPSA", "alice@example.org"),
                0, T0, List.of(
                        new Recipient("bob@example.net", "rfc822;bob@example.net", EnumSet.of(Notify.FAILURE, Notify.DELAY),
                                Recipient.State.PENDING, null, null, false),
                        Recipient.of("carol@example.com")));
    }

    static QueueEntry roundTrip(QueueEntry e) throws CorruptQueueFile {
        return QueueEntryFormat.parse(QueueEntryFormat.writeBytes(e), "test");
    }

    @Test
    void ordinaryEntrySurvivesTheRoundTrip() throws Exception {
        QueueEntry e = sample("4XJ2K9ABCD");
        assertEquals(e, roundTrip(e));
        QueueEntry later = e.withAttempts(3).withNextAttempt(T0.plusSeconds(900))
                .withRecipient(0, e.recipients().get(0).withAttempt(T0.plusSeconds(1),
                        "451 4.3.0 mx.example.net[192.0.2.1]: try later", Recipient.State.DEFERRED).withDelayWarned(true))
                .withRecipient(1, e.recipients().get(1).withState(Recipient.State.DELIVERED));
        assertEquals(later, roundTrip(later));
    }

    @Test
    void hostileValuesCannotForgeLinesAndComeBackUnchanged() throws Exception {
        String evil = "x\nrcpt: mallory@evil.example\n  state: DELIVERED\nend: 1";
        QueueEntry e = new QueueEntry("ABCDEF", "", T0, "id: with: colons %41 and %", null, Body.BINARY_MIME, true,
                new Origin(null, "2001:db8::1", " leading and trailing ", "ESMTP", "jörg@bücher.example"),
                7, T0, List.of(new Recipient("用户@例子.广告", "utf-8;用户@例子.广告", Set.of(Notify.NEVER),
                        Recipient.State.FAILED, T0, "550 5.1.1 <x>:\r\n\tno such user\u2028😀\u0085\u0000\u007f",
                        false), Recipient.of(evil)));
        String text = QueueEntryFormat.write(e);
        assertEquals(e, roundTrip(e));
        assertTrue(text.startsWith("mailroom-queue: 1\n"), text);
        assertTrue(text.contains("sender:\n"), "the null sender is an empty value: " + text);
        assertTrue(text.contains("rcpt: 用户@例子.广告\n"), "non-ASCII stays readable: " + text);
        assertTrue(text.contains("helo: %20leading and trailing%20\n"), text);
        for (String line : text.split("\n")) {
            assertFalse(line.startsWith("rcpt: mallory"), "a value started a line: " + line);
            assertFalse(line.contains("\r") || line.contains("\u2028") || line.contains("\u0085"), line);
        }
        assertEquals(2, text.lines().filter(l -> l.startsWith("rcpt: ")).count());
    }

    @Test
    void emptyNotifyMeansNotGivenAndIsNotWritten() throws Exception {
        QueueEntry e = sample("ABCDEF").withRecipients(List.of(Recipient.of("x@y.example")));
        assertFalse(QueueEntryFormat.write(e).contains("notify"));
        assertEquals(Set.of(), roundTrip(e).recipients().get(0).notifyOn());
    }

    @Test
    void unpairedSurrogateIsRefusedAtWriteTime() {
        QueueEntry e = sample("ABCDEF").withRecipients(List.of(Recipient.of("x\uD800@y.example")));
        assertThrows(IllegalArgumentException.class, () -> QueueEntryFormat.write(e));
    }

    @Test
    void neverCombinedWithOthersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Recipient("a@b", null,
                EnumSet.of(Notify.NEVER, Notify.FAILURE), Recipient.State.PENDING, null, null, false));
    }

    @Test
    void malformedInputIsCorruptWithTheLineNumber() {
        String good = QueueEntryFormat.write(sample("ABCDEF"));
        // every proper prefix of a record is refused, wherever the file was cut
        for (int cut = 0; cut < good.length(); cut++) {
            String prefix = good.substring(0, cut);
            assertThrows(CorruptQueueFile.class, () -> QueueEntryFormat.parse(prefix.getBytes(UTF_8), "cut"),
                    "accepted a record cut at " + cut);
        }
        CorruptQueueFile raw = assertThrows(CorruptQueueFile.class, () -> QueueEntryFormat.parse(
                good.replace("helo: laptop.example.org", "helo: laptop\r.example.org").getBytes(UTF_8), "cr"));
        assertEquals(11, raw.line(), raw.getMessage());
        assertThrows(CorruptQueueFile.class, () -> QueueEntryFormat.parse(new byte[] {(byte) 0xff, '\n'}, "bin"));
        assertThrows(CorruptQueueFile.class, () -> QueueEntryFormat.parse(
                good.replace("envid: QQ314159", "envid: QQ%E2%80").getBytes(UTF_8), "bad utf-8 escape"));
        assertThrows(CorruptQueueFile.class, () -> QueueEntryFormat.parse(
                good.replace("smtputf8: no", "smtputf8: no ").getBytes(UTF_8), "trailing space"));
    }
}
