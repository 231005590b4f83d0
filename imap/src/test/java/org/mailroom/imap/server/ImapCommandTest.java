package org.mailroom.imap.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mailroom.imap.wire.Command;

/** The command table covers every command record, and its flags say what RFC 9051 7.5.1 says. */
class ImapCommandTest {

    @Test
    void everyCommandRecordHasARow() {
        Set<Class<?>> covered = new HashSet<>();
        for (ImapCommand c : ImapCommand.values()) covered.add(c.type());
        for (Class<?> type : Command.class.getPermittedSubclasses()) {
            assertTrue(covered.contains(type), type.getSimpleName() + " has no row in ImapCommand");
        }
    }

    @Test
    void noExpungeDuringFetchStoreSearchButDuringTheirUidForms() {
        for (ImapCommand c : EnumSet.of(ImapCommand.FETCH, ImapCommand.STORE, ImapCommand.SEARCH, ImapCommand.COPY)) {
            assertFalse(c.expungeAllowed(), c.name());
        }
        for (ImapCommand c : EnumSet.of(ImapCommand.UID_FETCH, ImapCommand.UID_STORE, ImapCommand.UID_SEARCH,
                ImapCommand.NOOP, ImapCommand.IDLE, ImapCommand.EXPUNGE, ImapCommand.MOVE, ImapCommand.UID_MOVE)) {
            assertTrue(c.expungeAllowed(), c.name());
        }
    }

    @Test
    void rowsAreChosenByTheRecordAndItsUidFlag() {
        assertEquals(ImapCommand.EXAMINE, ImapCommand.of(new Command.Select("INBOX", true, false, null)));
        assertEquals(ImapCommand.SELECT, ImapCommand.of(new Command.Select("INBOX", false, false, null)));
        assertEquals(ImapCommand.EXPUNGE, ImapCommand.of(new Command.Expunge(null)));
        assertEquals(ImapCommand.NOOP, ImapCommand.of(new Command.Noop()));
        assertEquals("UID FETCH", ImapCommand.UID_FETCH.wireName());
    }

    @Test
    void statesFollowRfc9051Section6() {
        assertTrue(ImapCommand.CAPABILITY.allowedIn(ImapState.NOT_AUTHENTICATED));
        assertFalse(ImapCommand.LOGIN.allowedIn(ImapState.AUTHENTICATED));
        assertFalse(ImapCommand.ENABLE.allowedIn(ImapState.SELECTED)); // RFC 5161 3.1
        assertTrue(ImapCommand.IDLE.allowedIn(ImapState.AUTHENTICATED));
        assertFalse(ImapCommand.FETCH.allowedIn(ImapState.AUTHENTICATED));
        for (ImapCommand c : ImapCommand.values()) assertFalse(c.allowedIn(ImapState.LOGOUT), c.name());
    }
}
