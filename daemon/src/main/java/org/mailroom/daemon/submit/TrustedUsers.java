package org.mailroom.daemon.submit;

import java.io.IOException;
import java.util.List;
import org.mailroom.core.spi.SessionInfo.LocalUser;
import org.mailroom.core.unix.Passwd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may set the envelope sender with {@code sendmail -f} without a warning: sendmail's trusted
 * users ({@code confTRUSTED_USERS}, class {@code t}). Always root (uid 0) and the user the daemon
 * runs as (its own bounces and reports); then the names in {@code local.trustedUsers}, where
 * {@code %group} stands for the members of a group (primary or listed in /etc/group). Anyone else
 * may still use {@code -f}: the message is accepted with an {@code X-Authentication-Warning}
 * field, as sendmail does, so that the recipient can see who really sent it.
 */
public final class TrustedUsers {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.submit");

    private final List<String> entries;
    private final String daemonUser;
    private final Passwd passwd;

    /**
     * @param entries    {@code local.trustedUsers}: user names and {@code %group}
     * @param daemonUser the daemon's own Unix user ({@code user.name})
     */
    public TrustedUsers(List<String> entries, String daemonUser, Passwd passwd) {
        this.entries = List.copyOf(entries);
        this.daemonUser = daemonUser;
        this.passwd = passwd;
    }

    /** Blocking (may read /etc/group). An unreadable group file trusts nobody through groups. */
    public boolean isTrusted(LocalUser u) {
        if (u.uid() == 0 || u.name().equals("root") || u.name().equals(daemonUser)) return true;
        for (String e : entries) {
            if (!e.startsWith("%")) {
                if (e.equals(u.name())) return true;
                continue;
            }
            try {
                if (passwd.isMember(u.name(), e.substring(1))) return true;
            } catch (IOException ex) {
                log.warn("cannot read the group database for {}: {}", e, ex.toString());
            }
        }
        return false;
    }
}
