package org.mailroom.core.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.StoreDelivery;

/**
 * One message into INBOXes of both kinds: Maildir recipients go to the Maildir delivery as usual;
 * mbox recipients are appended in {@link #commit}, before the Maildir copies become visible.
 *
 * <p>XXX The append happens in {@code commit}, not {@code write}: an mbox has no invisible
 * {@code tmp/}, and an appended message can only be taken back while no one appended after it.
 * So {@code commit} may fail for an mbox (lock timeout, full disk); the caller then aborts and the
 * Maildir copies are removed, nothing was delivered. With several mbox recipients a later failure
 * leaves the earlier mbox copies in place, and the retry from the queue delivers them twice.
 */
final class MboxDelivery implements StoreDelivery {
    private final MboxStore store;
    private final StoreDelivery maildir;
    private final Map<String, MboxFolder> mboxes = new LinkedHashMap<>();
    private boolean anyMaildir;
    private MessageContent content;

    MboxDelivery(MboxStore store, StoreDelivery maildir) {
        this.store = store;
        this.maildir = maildir;
    }

    @Override
    public void addRecipient(String account) {
        if (store.usesMbox(account)) {
            mboxes.putIfAbsent(account.toLowerCase(Locale.ROOT), store.folder(account));
        } else {
            maildir.addRecipient(account);
            anyMaildir = true;
        }
    }

    @Override
    public void write(MessageContent content) throws IOException {
        this.content = content;
        for (String account : mboxes.keySet()) store.checkQuota(account, content.size() + content.lines());
        if (anyMaildir) maildir.write(content);
    }

    @Override
    public void commit() throws IOException {
        if (!mboxes.isEmpty()) {
            String sender = returnPath(content);
            for (MboxFolder f : mboxes.values()) f.deliver(content, sender);
        }
        if (anyMaildir) maildir.commit();
    }

    @Override
    public void abort() {
        maildir.abort();
    }

    /** The envelope sender from the {@code Return-Path:} the MDA puts first, for the separator line. */
    static String returnPath(MessageContent content) throws IOException {
        byte[] head;
        try (InputStream in = content.open()) {
            head = in.readNBytes(1024);
        }
        String first = new String(head, StandardCharsets.ISO_8859_1).split("\n", 2)[0];
        if (!first.regionMatches(true, 0, "Return-Path:", 0, 12)) return "MAILER-DAEMON";
        String v = first.substring(12).trim();
        if (v.startsWith("<") && v.endsWith(">")) v = v.substring(1, v.length() - 1);
        return v.isEmpty() ? "MAILER-DAEMON" : v;
    }
}
