package org.mailroom.imap.server;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mailroom.core.store.Flag;

/** The flags of STORE and APPEND split into system flags and keywords (RFC 9051 2.3.2). */
record FlagArgs(Set<Flag> flags, Set<String> keywords) {

    static FlagArgs of(List<String> wire) {
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        Set<String> kws = new LinkedHashSet<>();
        for (String f : wire) {
            if (f.startsWith("\\")) {
                Flag sys = Flag.fromImapName(f);
                // RFC 9051 2.3.2: \Recent is the server's; other backslash names are not flags
                if (sys == null) throw new ImapBad("invalid system flag " + f);
                flags.add(sys);
            } else {
                kws.add(f);
            }
        }
        return new FlagArgs(flags, kws);
    }
}
