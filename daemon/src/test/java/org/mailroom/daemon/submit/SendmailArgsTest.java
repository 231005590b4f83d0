package org.mailroom.daemon.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SendmailArgsTest {

    static SendmailArgs parse(String... a) throws SendmailArgs.Usage {
        return SendmailArgs.parse(a);
    }

    @Test
    void plainRecipients() throws Exception {
        SendmailArgs a = parse("alice@example.org", "bob");
        assertEquals(List.of("alice@example.org", "bob"), a.recipients());
        assertFalse(a.extractRecipients());
        assertFalse(a.ignoreDots());
        assertNull(a.sender());
        assertFalse(a.smtp());
    }

    @Test
    void senderAttachedOrSeparateAndFullName() throws Exception {
        assertEquals("a@x", parse("-fa@x", "b@y").sender());
        assertEquals("a@x", parse("-f", "a@x", "b@y").sender());
        assertEquals("a@x", parse("-r", "<a@x>", "b@y").sender());
        assertEquals("", parse("-f", "<>", "b@y").sender());
        SendmailArgs a = parse("-F", "Alice Example", "-f", "a@x", "b@y");
        assertEquals("Alice Example", a.fullName());
        assertEquals(List.of("b@y"), a.recipients());
    }

    @Test
    void dotsAndExtractionAndCombinedFlags() throws Exception {
        assertTrue(parse("-i", "b@y").ignoreDots());
        assertTrue(parse("-oi", "b@y").ignoreDots());
        SendmailArgs a = parse("-ti");
        assertTrue(a.extractRecipients());
        assertTrue(a.ignoreDots());
        assertTrue(parse("-t").extractRecipients());
    }

    @Test
    void ignoredFlagsAsOtherSendmailsAccept() throws Exception {
        SendmailArgs a = parse("-oem", "-oep", "-odb", "-odi", "-om", "-v", "-m", "-bm", "--", "b@y");
        assertEquals(List.of("b@y"), a.recipients());
    }

    @Test
    void smtpMode() throws Exception {
        assertTrue(parse("-bs").smtp());
        assertThrows(SendmailArgs.Usage.class, () -> parse("-bs", "b@y"));
    }

    @Test
    void configDirectory() throws Exception {
        assertEquals("/etc/mailroom", parse("--config", "/etc/mailroom", "b@y").configDir());
        assertEquals("/etc/mailroom", parse("--config=/etc/mailroom", "b@y").configDir());
    }

    @Test
    void unknownFlagsAreUsageErrors() {
        assertThrows(SendmailArgs.Usage.class, () -> parse("-q", "b@y"));
        assertThrows(SendmailArgs.Usage.class, () -> parse("-bp"));
        assertThrows(SendmailArgs.Usage.class, () -> parse("-oQ/tmp", "b@y"));
        assertThrows(SendmailArgs.Usage.class, () -> parse("--verbose"));
        assertThrows(SendmailArgs.Usage.class, () -> parse("-f"));
        assertThrows(SendmailArgs.Usage.class, () -> parse("--config"));
    }
}
