package org.mailroom.daemon.submit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code sendmail -t} takes from the header, and the message it sends. */
class HeaderFieldsTest {

    @Test
    void toCcBccWithFoldingNamesAndComments() {
        byte[] m = ("From: me@example.org\n"
                + "To: Alice Example <alice@example.org>,\n"
                + "\tbob@example.org (Bob),\n"
                + " \"Carol, the third\" <carol@example.org>\n"
                + "Subject: to: not@an.address\n"
                + "cc: dave@example.org\n"
                + "Bcc: eve@example.org\n"
                + "\n"
                + "To: body@example.org\n").getBytes(UTF_8);
        HeaderFields h = HeaderFields.parse(m);
        assertEquals(List.of("alice@example.org", "bob@example.org", "carol@example.org", "dave@example.org",
                "eve@example.org"), h.recipients());
    }

    @Test
    void groupsGiveTheirMembersAndEmptyGroupsNothing() {
        assertEquals(List.of("a@x.org", "b@x.org", "c@x.org"),
                HeaderFields.addresses("Friends: a@x.org, B <b@x.org>;, c@x.org"));
        assertEquals(List.of(), HeaderFields.addresses("undisclosed-recipients:;"));
        assertEquals(List.of("\"john doe\"@x.org"), HeaderFields.addresses("\"john doe\"@x.org"));
        assertEquals(List.of("u@x.org"), HeaderFields.addresses("<@relay.org:u@x.org>"));
    }

    @Test
    void bccIsRemovedWithItsContinuationLinesAndNothingElse() {
        String m = "To: alice@example.org\n"
                + "Bcc: hidden@example.org,\n"
                + "  other@example.org\n"
                + "Subject: hi\n"
                + "BCC: third@example.org\n"
                + "\n"
                + "Bcc: stays in the body\n";
        HeaderFields h = HeaderFields.parse(m.getBytes(UTF_8));
        assertEquals(List.of("alice@example.org", "hidden@example.org", "other@example.org", "third@example.org"),
                h.recipients());
        String out = new String(h.withoutBcc(m.getBytes(UTF_8)), UTF_8);
        assertEquals("To: alice@example.org\nSubject: hi\n\nBcc: stays in the body\n", out);
    }

    @Test
    void aMessageWithoutHeaderHasNoFields() {
        HeaderFields h = HeaderFields.parse("just text, no header\nTo: x@y\n".getBytes(UTF_8));
        assertTrue(h.fields().isEmpty());
        assertEquals(0, h.headerEnd());
        assertFalse(h.has("from"));
    }

    @Test
    void headerWithoutBodyAndWithoutFinalNewline() {
        HeaderFields h = HeaderFields.parse("Subject: x\nTo: a@b.org".getBytes(UTF_8));
        assertEquals(List.of("a@b.org"), h.recipients());
        assertTrue(h.has("SUBJECT"));
    }
}
