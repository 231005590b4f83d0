package org.mailroom.imap.server;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.MailboxInfo;
import org.mailroom.core.store.MailboxStatus;
import org.mailroom.core.store.StoreException;
import org.mailroom.imap.wire.Command;
import org.mailroom.imap.wire.ImapWriter;

/**
 * LIST (RFC 9051 6.3.9 with RFC 5258 LIST-EXTENDED, RFC 5819 LIST-STATUS, RFC 6154 SPECIAL-USE,
 * RFC 3348 CHILDREN), LSUB (RFC 3501 6.3.9) and STATUS (RFC 9051 6.3.11, RFC 8438 STATUS=SIZE).
 * The hierarchy delimiter is {@code /}; parents that do not exist themselves are shown
 * {@code \NonExistent} (which implies {@code \Noselect}) to LIST-EXTENDED and IMAP4rev2 clients, and
 * {@code \Noselect} to the RFC 3501 base LIST of an IMAP4rev1 client, which does not know
 * {@code \NonExistent}.
 */
final class ListHandler {
    private final MailStore store;
    private final long appendLimit;

    ListHandler(MailStore store, long appendLimit) {
        this.store = store;
        this.appendLimit = appendLimit;
    }

    /** A name as LIST shows it. */
    private record Entry(String name, boolean exists, boolean subscribed, String specialUse, boolean implied) {}

    Completion list(ImapContext ctx, Command.ListMailboxes c) {
        boolean utf8 = ctx.enabled(Extension.UTF8_ACCEPT);
        List<String> patterns = new ArrayList<>();
        for (String p : c.patterns()) {
            // RFC 9051 6.3.9: the reference is prefixed unless the pattern starts at the root
            patterns.add(decodePattern(ctx, c.reference().isEmpty() || p.startsWith("/") ? p : c.reference() + p));
        }
        if (c.patterns().size() == 1 && c.patterns().get(0).isEmpty()) {
            // RFC 9051 6.3.9: the empty pattern asks for the delimiter
            ctx.untagged("LIST (\\Noselect) \"/\" \"\"");
            return Completion.ok();
        }
        boolean subscribedOnly = c.selectOptions().contains("SUBSCRIBED");
        boolean recursive = c.selectOptions().contains("RECURSIVEMATCH");
        boolean specialOnly = c.selectOptions().contains("SPECIAL-USE");
        boolean showSubscribed = subscribedOnly || c.returnOptions().contains("SUBSCRIBED");
        boolean status = c.returnOptions().contains("STATUS") && !c.statusItems().isEmpty();
        // RFC 5258 3 / RFC 9051 7.3.1: \NonExistent implies \Noselect, but only LIST-EXTENDED and IMAP4rev2
        // define it; RFC 3501 7.2.2 gives an IMAP4rev1 client's base LIST \Noselect for a name that is
        // only a parent. XXX offlineimap, imapbackup and mutt look for \Noselect and SELECT anything else.
        boolean baseList = c.selectOptions().isEmpty() && c.returnOptions().isEmpty() && c.patterns().size() == 1;
        String nonExistent = baseList && !ctx.enabled(Extension.IMAP4REV2) ? "\\Noselect" : "\\NonExistent";
        if (c.statusItems().contains(Command.StatusItem.HIGHESTMODSEQ)) ctx.enable(Extension.CONDSTORE);
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            Map<String, Entry> all = entries(store.mailboxes(account).list());
            ByteBuf out = ctx.alloc().buffer();
            ImapWriter w = new ImapWriter(out);
            for (Entry e : all.values()) {
                if (!matchesAny(patterns, e.name())) continue;
                List<String> childInfo = List.of();
                if (subscribedOnly && !e.subscribed()) {
                    // RFC 5258 3.5: with RECURSIVEMATCH a parent of subscribed names is listed with CHILDINFO
                    if (!recursive || !hasSubscribedChild(all, e.name())) continue;
                    childInfo = List.of("SUBSCRIBED");
                } else if (!subscribedOnly && !e.exists() && !e.implied()) {
                    continue; // only subscribed: LIST shows existing names
                }
                if (specialOnly && e.specialUse() == null) continue;
                List<String> attrs = new ArrayList<>();
                if (!e.exists()) attrs.add(nonExistent);
                attrs.add(hasChild(all, e.name()) ? "\\HasChildren" : "\\HasNoChildren");
                if (showSubscribed && e.subscribed()) attrs.add("\\Subscribed");
                if (e.specialUse() != null) attrs.add(e.specialUse());
                w.untagged().atom("LIST").flags(attrs).atom("\"/\"");
                w.mailbox(e.name(), utf8);
                if (!childInfo.isEmpty()) w.raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))");
                w.crlf();
                if (status && e.exists()) {
                    try {
                        writeStatus(w, e.name(), store.mailboxes(account).status(e.name()), c.statusItems(), utf8, ctx);
                    } catch (StoreException ignored) {
                        // RFC 5819 2: a mailbox whose status cannot be had gets no STATUS
                    }
                }
            }
            return out;
        }).thenApply(out -> {
            ctx.write(out);
            return Completion.ok();
        }));
    }

    Completion lsub(ImapContext ctx, Command.Lsub c) {
        boolean utf8 = ctx.enabled(Extension.UTF8_ACCEPT);
        String pattern = c.reference().isEmpty() || c.pattern().startsWith("/")
                ? decodePattern(ctx, c.pattern()) : decodePattern(ctx, c.reference() + c.pattern());
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> {
            Map<String, Entry> all = entries(store.mailboxes(account).list());
            ByteBuf out = ctx.alloc().buffer();
            ImapWriter w = new ImapWriter(out);
            for (Entry e : all.values()) {
                if (pattern.isEmpty() || !WildcardMatch.matches(pattern, e.name())) continue;
                boolean subscribedChild = pattern.endsWith("%") && hasSubscribedChild(all, e.name());
                if (!e.subscribed() && !subscribedChild) continue;
                List<String> attrs = new ArrayList<>();
                // RFC 3501 6.3.9: a parent shown only for its subscribed children is \Noselect
                if (!e.subscribed() || !e.exists()) attrs.add("\\Noselect");
                w.untagged().atom("LSUB").flags(attrs).atom("\"/\"");
                w.mailbox(e.name(), utf8);
                w.crlf();
            }
            return out;
        }).thenApply(out -> {
            ctx.write(out);
            return Completion.ok();
        }));
    }

    Completion status(ImapContext ctx, Command.Status c) {
        String name = StoreCalls.mailbox(ctx, c.mailbox());
        boolean utf8 = ctx.enabled(Extension.UTF8_ACCEPT);
        if (c.items().contains(Command.StatusItem.HIGHESTMODSEQ)) ctx.enable(Extension.CONDSTORE); // RFC 7162 3.1
        String account = ctx.account().address();
        return Completion.later(StoreCalls.blocking(ctx, () -> store.mailboxes(account).status(name)).thenApply(s -> {
            ByteBuf out = ctx.alloc().buffer();
            writeStatus(new ImapWriter(out), name.equalsIgnoreCase("INBOX") ? "INBOX" : name, s, c.items(), utf8, ctx);
            ctx.write(out);
            return Completion.ok();
        }));
    }

    private void writeStatus(ImapWriter w, String name, MailboxStatus s, Set<Command.StatusItem> items, boolean utf8,
                             ImapContext ctx) {
        w.untagged().atom("STATUS");
        w.mailbox(name, utf8);
        w.open();
        boolean first = true;
        for (Command.StatusItem i : items) {
            long v;
            switch (i) {
                case MESSAGES -> v = s.messages();
                case UIDNEXT -> v = s.uidNext();
                case UIDVALIDITY -> v = s.uidValidity();
                case UNSEEN -> v = s.unseen();
                case DELETED -> v = s.deleted();
                case SIZE -> v = s.size();
                case RECENT -> v = s.recent();
                case HIGHESTMODSEQ -> v = s.highestModSeq();
                default -> v = appendLimit; // APPENDLIMIT, RFC 7889 3
            }
            if (!first) w.raw(' ');
            w.raw(i.name()).raw(' ').rawNumber(v);
            first = false;
        }
        w.close().crlf();
    }

    private static String decodePattern(ImapContext ctx, String wire) {
        return wire.isEmpty() ? "" : StoreCalls.mailbox(ctx, wire);
    }

    /** Existing and subscribed names plus the parents they imply, INBOX first, then by name. */
    private static Map<String, Entry> entries(List<MailboxInfo> infos) {
        Map<String, Entry> m = new LinkedHashMap<>();
        TreeSet<String> implied = new TreeSet<>();
        for (MailboxInfo i : infos) {
            m.put(i.name(), new Entry(i.name(), i.exists(), i.subscribed(), i.specialUse(), false));
            String n = i.name();
            for (int slash = n.indexOf('/'); slash > 0; slash = n.indexOf('/', slash + 1)) implied.add(n.substring(0, slash));
        }
        for (String p : implied) {
            if (!m.containsKey(p)) m.put(p, new Entry(p, false, false, null, true));
        }
        Map<String, Entry> sorted = new LinkedHashMap<>();
        if (m.containsKey("INBOX")) sorted.put("INBOX", m.remove("INBOX"));
        new TreeSet<>(m.keySet()).forEach(k -> sorted.put(k, m.get(k)));
        return sorted;
    }

    private static boolean hasChild(Map<String, Entry> all, String name) {
        String prefix = name + "/";
        for (Entry e : all.values()) if (e.name().startsWith(prefix) && (e.exists() || e.implied())) return true;
        return false;
    }

    private static boolean hasSubscribedChild(Map<String, Entry> all, String name) {
        String prefix = name + "/";
        for (Entry e : all.values()) if (e.subscribed() && e.name().startsWith(prefix)) return true;
        return false;
    }

    private static boolean matchesAny(List<String> patterns, String name) {
        for (String p : patterns) if (WildcardMatch.matches(p, name)) return true;
        return false;
    }
}
