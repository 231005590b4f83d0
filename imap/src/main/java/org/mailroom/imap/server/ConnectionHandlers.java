package org.mailroom.imap.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.ImapStrings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commands that need no mailbox and no blocking work: CAPABILITY, NOOP (and CHECK), LOGOUT,
 * ID, NAMESPACE, ENABLE. NOOP's real work, the pending updates of a selected mailbox, is done by the
 * session before every tagged response (RFC 9051 6.1.2).
 */
final class ConnectionHandlers {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.imap");
    private static final String VERSION = version();

    private final Capabilities capabilities;

    ConnectionHandlers(Capabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** RFC 9051 6.1.1. */
    Completion capability(ImapContext ctx, Command.Capability c) {
        ctx.untagged("CAPABILITY " + capabilities.of(ctx));
        return Completion.ok();
    }

    /** RFC 9051 6.1.2. */
    Completion noop(ImapContext ctx, Command c) {
        return Completion.ok();
    }

    /** RFC 9051 6.1.3: BYE, then the tagged OK, then the server closes. */
    Completion logout(ImapContext ctx, Command.Logout c) {
        ctx.untagged("BYE Logging out");
        return Completion.ok().thenClose();
    }

    /**
     * RFC 2971 3.1: our identification, and the client's in the log (it helps a postmaster tell
     * Thunderbird from a script). Values are the client's: printed with control characters masked
     * and cut, never interpreted.
     */
    Completion id(ImapContext ctx, Command.Id c) {
        if (c.params() != null && !c.params().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (Map.Entry<String, String> e : c.params().entrySet()) {
                if (!b.isEmpty()) b.append(", ");
                b.append(printable(e.getKey(), 30)).append('=').append(e.getValue() == null ? "NIL" : printable(e.getValue(), 100));
            }
            log.info("id: client={}, {}", ctx.client(), b);
        }
        ctx.untagged("ID (\"name\" \"Mailroom\" \"version\" " + ImapStrings.quoted(VERSION) + ")");
        return Completion.ok();
    }

    /** RFC 2342 5 / RFC 9051 6.3.10: one personal namespace, no prefix, "/" between levels; no others. */
    Completion namespace(ImapContext ctx, Command.Namespace c) {
        ctx.untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");
        return Completion.ok();
    }

    /**
     * RFC 5161 3.1 / RFC 9051 6.3.1: switches on what we know and were not on yet, and names those
     * in {@code * ENABLED} (which is sent even when empty); unknown names are ignored.
     */
    Completion enable(ImapContext ctx, Command.Enable c) {
        List<String> now = new ArrayList<>();
        for (String name : c.capabilities()) {
            Extension e = Extension.of(name);
            if (e == null || ctx.enabled(e)) continue;
            ctx.enable(e);
            now.add(e.wire());
        }
        ctx.untagged(now.isEmpty() ? "ENABLED" : "ENABLED " + String.join(" ", now));
        return Completion.ok();
    }

    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 3);
        for (int i = 0; i < s.length() && i < max; i++) {
            char ch = s.charAt(i);
            b.append(Character.isISOControl(ch) ? '?' : ch);
        }
        if (s.length() > max) b.append("...");
        return b.toString();
    }

    private static String version() {
        String v = ConnectionHandlers.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
