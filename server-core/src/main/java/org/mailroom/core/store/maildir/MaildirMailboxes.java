package org.mailroom.core.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mailroom.core.io.DirectorySync;
import org.mailroom.core.store.Mailbox;
import org.mailroom.core.store.MailboxInfo;
import org.mailroom.core.store.MailboxStatus;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageRef;
import org.mailroom.core.store.Quota;
import org.mailroom.core.store.StoreException;
import org.mailroom.core.store.StoreException.Reason;

/**
 * The folders of one account in Maildir++ layout: INBOX is the account directory itself, folder
 * {@code a/b} is the directory {@code .a.b} beside INBOX's {@code cur/}, with a {@code maildirfolder}
 * marker as Courier and Dovecot write it. Names are UTF-8 on disk; a {@code .} or {@code %} inside a
 * level is written {@code %2E} / {@code %25} so it cannot be taken for the hierarchy separator.
 * Subscriptions are in {@code subscriptions} (one name per line), special-use attributes in
 * {@code mailroom-specialuse} ({@code name TAB attribute}).
 *
 * <p>Every name is validated before it reaches the file system, and the resulting path is checked
 * to stay inside the account directory: no level may be empty, {@code .} or {@code ..}, contain
 * control characters or the LIST wildcards.
 */
final class MaildirMailboxes implements Mailboxes {
    static final int MAX_NAME = 200;
    static final int MAX_LEVELS = 16;
    static final int MAX_FOLDERS = 1000;
    static final Set<String> SPECIAL_USES = Set.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk",
            "\\Sent", "\\Trash");
    private static final String SUBSCRIPTIONS = "subscriptions";
    private static final String SPECIAL_USE = "mailroom-specialuse";
    private static final String DEFAULTS_MARKER = "mailroom-defaults";
    /** DESIGN.md 3: created on first login. */
    private static final String[][] DEFAULTS = {
        {"Sent", "\\Sent"}, {"Drafts", "\\Drafts"}, {"Trash", "\\Trash"}, {"Junk", "\\Junk"}, {"Archive", "\\Archive"}};

    private final MaildirStore store;
    private final String account;
    private final Path root;

    MaildirMailboxes(MaildirStore store, String account, Path root) {
        this.store = store;
        this.account = account;
        this.root = root;
    }

    @Override
    public String account() { return account; }

    // ---- names ----------------------------------------------------------------------------------

    /** {@code INBOX} in any case becomes {@code INBOX}, also as the first level. */
    String canonical(String name) {
        if (name.equalsIgnoreCase("INBOX")) return "INBOX";
        if (name.length() > 6 && name.substring(0, 6).equalsIgnoreCase("INBOX/")) return "INBOX" + name.substring(5);
        return name;
    }

    /** The directory of a valid name (which need not exist). */
    Path dirOf(String name) throws StoreException {
        name = canonical(name);
        if (name.equals("INBOX")) return root;
        if (name.isEmpty() || name.length() > MAX_NAME) throw new StoreException(Reason.CANNOT, "invalid mailbox name length");
        String[] levels = name.split("/", -1);
        if (levels.length > MAX_LEVELS) throw new StoreException(Reason.CANNOT, "mailbox hierarchy too deep");
        StringBuilder dir = new StringBuilder();
        for (String level : levels) {
            if (level.isEmpty() || level.equals(".") || level.equals("..")) {
                throw new StoreException(Reason.CANNOT, "invalid mailbox name");
            }
            for (int i = 0; i < level.length(); i++) {
                char c = level.charAt(i);
                // RFC 9051 5.1: the LIST wildcards would make the name unlistable on its own
                if (c < 0x20 || c == 0x7f || c == '*' || c == '%') {
                    throw new StoreException(Reason.CANNOT, "invalid character in mailbox name");
                }
            }
            dir.append('.').append(level.replace("%", "%25").replace(".", "%2E"));
        }
        Path p = root.resolve(dir.toString()).normalize();
        if (!p.getParent().equals(root)) throw new StoreException(Reason.CANNOT, "invalid mailbox name");
        return p;
    }

    /** The name of a folder directory, or null when it is not one of ours. */
    static String nameOf(String dirName) {
        if (dirName.length() < 2 || dirName.charAt(0) != '.' || dirName.equals("..")) return null;
        String[] levels = dirName.substring(1).split("\\.", -1);
        StringBuilder sb = new StringBuilder();
        for (String l : levels) {
            if (l.isEmpty()) return null;
            if (sb.length() > 0) sb.append('/');
            sb.append(l.replace("%2E", ".").replace("%2e", ".").replace("%25", "%"));
        }
        return sb.toString();
    }

    private boolean exists(Path dir) {
        return Files.isDirectory(dir.resolve("cur"));
    }

    /** The directory of an existing folder (INBOX always exists). */
    Path existingDir(String name) throws StoreException {
        Path dir = dirOf(name);
        if (dir.equals(root)) return root;
        if (!exists(dir)) throw new StoreException(Reason.NONEXISTENT, "mailbox does not exist");
        return dir;
    }

    // ---- Mailboxes ------------------------------------------------------------------------------

    @Override
    public List<MailboxInfo> list() throws IOException {
        Set<String> subscribed = readSubscriptions();
        Map<String, String> uses = readSpecialUse();
        TreeMap<String, MailboxInfo> out = new TreeMap<>();
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> p.getFileName().toString().startsWith("."))) {
                for (Path p : ds) {
                    String n = nameOf(p.getFileName().toString());
                    if (n == null || !exists(p)) continue;
                    out.put(n, new MailboxInfo(n, true, subscribed.contains(n), uses.get(n)));
                }
            }
        }
        for (String s : subscribed) {
            if (!s.equals("INBOX") && !out.containsKey(s)) out.put(s, new MailboxInfo(s, false, true, null));
        }
        List<MailboxInfo> l = new ArrayList<>(out.size() + 1);
        l.add(new MailboxInfo("INBOX", true, subscribed.contains("INBOX"), null));
        l.addAll(out.values());
        return l;
    }

    private int folderCount() throws IOException {
        if (!Files.isDirectory(root)) return 0;
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> p.getFileName().toString().startsWith("."))) {
            for (Path p : ds) if (nameOf(p.getFileName().toString()) != null) n++;
        }
        return n;
    }

    @Override
    public void create(String name, String specialUse) throws IOException {
        synchronized (store.accountLock(account)) { // read-modify-write of the folder list and its small files
            name = canonical(name);
            Path dir = dirOf(name);
            if (dir.equals(root) || exists(dir)) throw new StoreException(Reason.ALREADY_EXISTS, "mailbox already exists");
            if (specialUse != null && !SPECIAL_USES.contains(specialUse)) {
                throw new StoreException(Reason.CANNOT, "unknown special-use attribute " + specialUse);
            }
            if (folderCount() >= MAX_FOLDERS) throw new StoreException(Reason.LIMIT, "too many mailboxes");
            store.ensureMaildir(root);
            Path tmpDir = root.resolve("tmp").resolve("folder-" + System.nanoTime());
            for (String sub : new String[] {"cur", "new", "tmp"}) Files.createDirectories(tmpDir.resolve(sub));
            Files.createFile(tmpDir.resolve("maildirfolder"));
            DirectorySync.force(tmpDir);
            try {
                Files.move(tmpDir, dir, StandardCopyOption.ATOMIC_MOVE); // all or nothing for other readers
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(tmpDir);
                throw new StoreException(Reason.ALREADY_EXISTS, "mailbox already exists");
            }
            DirectorySync.force(root);
            if (specialUse != null) {
                Map<String, String> uses = readSpecialUse();
                uses.put(name, specialUse);
                writeSpecialUse(uses);
            }
        }
    }

    @Override
    public void delete(String name) throws IOException {
        synchronized (store.accountLock(account)) { // read-modify-write of the folder list and its small files
            name = canonical(name);
            if (name.equals("INBOX")) throw new StoreException(Reason.CANNOT, "INBOX cannot be deleted");
            Path dir = existingDir(name);
            store.drop(dir);
            // rename first, so that no reader sees a half-deleted folder
            Path trash = root.resolve("tmp").resolve("deleted-" + System.nanoTime());
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
            DirectorySync.force(root);
            deleteTree(trash);
            Map<String, String> uses = readSpecialUse();
            if (uses.remove(name) != null) writeSpecialUse(uses);
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        synchronized (store.accountLock(account)) { // read-modify-write of the folder list and its small files
            from = canonical(from);
            to = canonical(to);
            Path toDir = dirOf(to);
            if (toDir.equals(root) || exists(toDir)) throw new StoreException(Reason.ALREADY_EXISTS, "mailbox already exists");
            if (from.equals("INBOX")) {
                // RFC 9051 6.3.6: messages move to the new name, INBOX stays (empty); its children do not move
                create(to, null);
                try (Mailbox inbox = open("INBOX", false)) {
                    List<Long> uids = new ArrayList<>();
                    for (MessageRef r : inbox.messages()) uids.add(r.uid());
                    if (!uids.isEmpty()) inbox.copy(uids, to, true);
                }
                return;
            }
            Path fromDir = existingDir(from);
            if (to.startsWith(from + "/")) throw new StoreException(Reason.CANNOT, "cannot move a mailbox into itself");
            // the folder and every child: ".from" and ".from.*"
            String fromPrefix = fromDir.getFileName().toString(), toPrefix = toDir.getFileName().toString();
            List<Path> moves = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, p -> p.getFileName().toString().startsWith(fromPrefix))) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.equals(fromPrefix) || n.startsWith(fromPrefix + ".")) moves.add(p);
                }
            }
            moves.sort(Comparator.comparing(Path::toString));
            for (Path p : moves) {
                Path target = root.resolve(toPrefix + p.getFileName().toString().substring(fromPrefix.length()));
                if (Files.exists(target)) throw new StoreException(Reason.ALREADY_EXISTS, "a child mailbox exists at the new name");
            }
            for (Path p : moves) {
                store.drop(p);
                Files.move(p, root.resolve(toPrefix + p.getFileName().toString().substring(fromPrefix.length())),
                        StandardCopyOption.ATOMIC_MOVE);
            }
            DirectorySync.force(root);
            Map<String, String> uses = readSpecialUse();
            Map<String, String> renamed = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : uses.entrySet()) renamed.put(rebase(e.getKey(), from, to), e.getValue());
            if (!renamed.equals(uses)) writeSpecialUse(renamed);
            Set<String> subs = readSubscriptions();
            Set<String> newSubs = new TreeSet<>();
            for (String s : subs) newSubs.add(rebase(s, from, to));
            if (!newSubs.equals(subs)) writeSubscriptions(newSubs);
        }
    }

    private static String rebase(String name, String from, String to) {
        if (name.equals(from)) return to;
        if (name.startsWith(from + "/")) return to + name.substring(from.length());
        return name;
    }

    @Override
    public void subscribe(String name, boolean on) throws IOException {
        synchronized (store.accountLock(account)) { // read-modify-write of the folder list and its small files
            name = canonical(name);
            dirOf(name); // validates
            Set<String> subs = readSubscriptions();
            if (on ? subs.add(name) : subs.remove(name)) writeSubscriptions(subs);
        }
    }

    @Override
    public Mailbox open(String name, boolean readOnly) throws IOException {
        String n = canonical(name);
        return store.openView(account, n, existingDir(n), readOnly);
    }

    @Override
    public MailboxStatus status(String name) throws IOException {
        String n = canonical(name);
        Path dir = existingDir(n);
        store.ensureMaildir(dir);
        FolderState f = store.state(account, n, dir);
        f.refresh();
        List<Long> unsized = new ArrayList<>();
        long messages, unseen = 0, deleted = 0, size = 0, recent;
        f.lock.lock();
        try {
            messages = f.msgs.size();
            for (FolderState.Msg m : f.msgs) {
                if ((m.flags & (1 << org.mailroom.core.store.Flag.SEEN.ordinal())) == 0) unseen++;
                if ((m.flags & (1 << org.mailroom.core.store.Flag.DELETED.ordinal())) != 0) deleted++;
                if (m.rfc822Size < 0) unsized.add(m.uid);
                else size += m.rfc822Size;
            }
            recent = 0;
            for (FolderState.Msg m : f.msgs) if (m.uid > f.recentUpTo) recent++;
        } finally {
            f.lock.unlock();
        }
        for (long uid : unsized) {
            try {
                size += Math.max(0, f.measure(uid).rfc822Size());
            } catch (StoreException e) {
                // expunged meanwhile
            }
        }
        f.lock.lock();
        try {
            return new MailboxStatus(messages, unseen, deleted, size, f.uidNext, f.uidValidity, f.highestModSeq, recent);
        } finally {
            f.lock.unlock();
        }
    }

    @Override
    public long[] usage() throws IOException {
        Quota q = store.quota(account);
        if (q.limited()) return new long[] {q.storageUsed(), q.messagesUsed()};
        long octets = 0, count = 0;
        for (MailboxInfo i : list()) {
            if (!i.exists()) continue;
            MailboxStatus s = status(i.name());
            octets += s.size();
            count += s.messages();
        }
        return new long[] {octets, count};
    }

    @Override
    public Quota quota() throws IOException {
        return store.quota(account);
    }

    @Override
    public void ensureDefaults() throws IOException {
        synchronized (store.accountLock(account)) { // read-modify-write of the folder list and its small files
            Path marker = root.resolve(DEFAULTS_MARKER);
            if (Files.exists(marker)) return;
            store.ensureMaildir(root);
            for (String[] d : DEFAULTS) {
                try {
                    create(d[0], d[1]);
                } catch (StoreException e) {
                    if (e.reason() != Reason.ALREADY_EXISTS) throw e;
                }
            }
            Files.write(marker, new byte[0]);
            Set<String> subs = readSubscriptions();
            boolean changed = subs.add("INBOX");
            for (String[] d : DEFAULTS) changed |= subs.add(d[0]);
            if (changed) writeSubscriptions(subs);
        }
    }

    // ---- small files ----------------------------------------------------------------------------

    private Set<String> readSubscriptions() throws IOException {
        Set<String> s = new TreeSet<>();
        try {
            for (String l : Files.readAllLines(root.resolve(SUBSCRIPTIONS), StandardCharsets.UTF_8)) {
                if (!l.isBlank()) s.add(l);
            }
        } catch (NoSuchFileException e) {
            // none yet
        }
        return s;
    }

    private void writeSubscriptions(Set<String> subs) throws IOException {
        writeAtomically(SUBSCRIPTIONS, String.join("\n", subs) + (subs.isEmpty() ? "" : "\n"));
    }

    private Map<String, String> readSpecialUse() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            for (String l : Files.readAllLines(root.resolve(SPECIAL_USE), StandardCharsets.UTF_8)) {
                int tab = l.lastIndexOf('\t');
                if (tab > 0) m.put(l.substring(0, tab), l.substring(tab + 1));
            }
        } catch (NoSuchFileException e) {
            // none yet
        }
        return m;
    }

    private void writeSpecialUse(Map<String, String> uses) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : uses.entrySet()) sb.append(e.getKey()).append('\t').append(e.getValue()).append('\n');
        writeAtomically(SPECIAL_USE, sb.toString());
    }

    private void writeAtomically(String file, String content) throws IOException {
        store.ensureMaildir(root);
        Path tmp = root.resolve(file + ".tmp");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
        }
        Files.move(tmp, root.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
