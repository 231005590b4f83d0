package org.mailroom.delivery.route;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Which envelope and header senders an authenticated login may use (issue "Submission" 5,
 * Postfix's reject_sender_login_mismatch). A login may use:
 * <ol>
 * <li>its own address, and its plus variants ({@code alice+lists@example.org});
 * <li>every address whose aliases lead to it (an alias {@code sales: alice, bob} lets both
 *     send as {@code sales@});
 * <li>what the {@code senders} file grants it, in aliases(5) syntax with the login as the name:
 *     {@code alice@example.org: info@example.net, @example.com} (an address, a whole domain),
 *     or {@code *} for any sender.
 * </ol>
 * The null sender is always allowed (bounces from a user's own filters). Blocking (look-ups).
 */
public final class SenderBinding {
    private final boolean enabled;
    private final Router router;
    private final Supplier<Aliases> grants;

    /** @param enabled {@code auth.senderBinding}; when false every sender is allowed */
    public SenderBinding(boolean enabled, Router router, Supplier<Aliases> grants) {
        this.enabled = enabled;
        this.router = router;
        this.grants = grants;
    }

    public boolean allowed(String login, String address) throws IOException {
        if (!enabled || address.isEmpty()) return true;
        String l = login.toLowerCase(Locale.ROOT);
        String a = address.toLowerCase(Locale.ROOT);
        if (a.equals(l)) return true;
        int at = l.lastIndexOf('@');
        List<String> granted = at < 0 ? null : grants.get().lookup(l.substring(0, at), l.substring(at + 1));
        if (granted != null) {
            for (String g : granted) {
                String gl = g.toLowerCase(Locale.ROOT);
                if (gl.equals("*") || gl.equals(a) || gl.startsWith("@") && a.endsWith(gl)) return true;
            }
        }
        for (Route r : router.expand(a)) {
            if (r instanceof Route.Local local && local.account().equals(l)) return true;
        }
        return false;
    }
}
