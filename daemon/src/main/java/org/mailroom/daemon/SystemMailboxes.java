package org.mailroom.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Locale;
import java.util.Optional;
import org.mailroom.core.store.mbox.MboxStore;
import org.mailroom.core.unix.Passwd;
import org.mailroom.delivery.route.SystemUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's Unix accounts as a local domain ({@code local.systemUsers}, issue 8, docs/local-mail.md):
 * which users receive mail (in passwd, uid at least {@code local.minUid}), where their mailbox is
 * ({@code <local.spoolDir>/<user>}, an mbox as mail, mailx, mutt and pine read it) and how a new
 * one is made: owner the user, group {@code mail}, mode 0660, as Debian's MTAs make it.
 *
 * <p>Their account names are {@code <user>@<hostname>}; the router gives every one of the host's
 * names ({@code hostname}, {@code localhost}) that account.
 */
final class SystemMailboxes implements SystemUsers, MboxStore.NewInbox {
    static final String MAIL_GROUP = "mail";
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.local");

    private final String hostname;
    private final Path spoolDir;
    private final long minUid;
    private final Passwd passwd;
    private final boolean forwardPrograms;

    SystemMailboxes(String hostname, Path spoolDir, long minUid, Passwd passwd) {
        this(hostname, spoolDir, minUid, passwd, false);
    }

    /** @param forwardPrograms {@code local.forwardPrograms}: ~/.forward may name commands and files */
    SystemMailboxes(String hostname, Path spoolDir, long minUid, Passwd passwd, boolean forwardPrograms) {
        this.hostname = hostname.toLowerCase(Locale.ROOT);
        this.spoolDir = spoolDir;
        this.minUid = minUid;
        this.passwd = passwd;
        this.forwardPrograms = forwardPrograms;
    }

    @Override
    public boolean forwardPrograms() {
        return forwardPrograms;
    }

    /** The passwd entry of one of {@link #owns}'s accounts, if it still receives mail. Blocking. */
    Optional<Passwd.Account> unixAccount(String account) throws IOException {
        return account(account.substring(0, account.lastIndexOf('@')).toLowerCase(Locale.ROOT));
    }

    String domain() { return hostname; }

    @Override
    public boolean receivesMail(String localPart) throws IOException {
        return account(localPart).isPresent();
    }

    private Optional<Passwd.Account> account(String user) throws IOException {
        if (user.isEmpty() || user.contains("/") || user.startsWith(".")) return Optional.empty(); // never a path
        return passwd.byName(user).filter(a -> a.uid() >= minUid);
    }

    /**
     * {@code ~/.forward} (forward(5) as sendmail and Postfix read it): targets separated by
     * commas or line ends, {@code #} comment lines, a target in double quotes may hold spaces
     * ({@code "|/usr/bin/procmail -f-"}). Ignored, with a log line, unless owned by the user or
     * root and not writable by group or others (someone else could redirect the user's mail),
     * or when larger than 64 KiB.
     */
    @Override
    public List<String> forward(String localPart) throws IOException {
        Optional<Passwd.Account> a = account(localPart);
        if (a.isEmpty() || a.get().home().isEmpty()) return null;
        Path f = Path.of(a.get().home(), ".forward");
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(f, PosixFileAttributes.class); // follows a symlink, as sendmail does
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            return null;
        }
        long owner = ((Number) Files.getAttribute(f, "unix:uid")).longValue();
        Set<PosixFilePermission> p = attrs.permissions();
        if (!attrs.isRegularFile() || (owner != a.get().uid() && owner != 0)
                || p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE)
                || attrs.size() > 64 * 1024) {
            log.warn("{}: ignored: not a regular file owned by {} or root and writable only by its owner", f, localPart);
            return null;
        }
        return parseForward(Files.readString(f, StandardCharsets.UTF_8));
    }

    static List<String> parseForward(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            StringBuilder cur = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i <= l.length(); i++) {
                char c = i < l.length() ? l.charAt(i) : ',';
                if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    String t = cur.toString().strip();
                    if (!t.isEmpty()) out.add(t);
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
        }
        return out;
    }

    /** Whether {@code account} (an address) is one of the Unix users' accounts. */
    boolean owns(String account) {
        int at = account.lastIndexOf('@');
        return at > 0 && account.substring(at + 1).equalsIgnoreCase(hostname);
    }

    /** The system mailbox of one of {@link #owns}'s accounts. */
    Path spool(String account) {
        return spoolDir.resolve(account.substring(0, account.lastIndexOf('@')).toLowerCase(Locale.ROOT));
    }

    /**
     * Gives a new spool file to its user: mode 0660 first (while the daemon still owns it), then
     * group {@code mail} (a group the daemon belongs to), then the owner, which needs CAP_CHOWN
     * (chown(2): only a privileged process may change a file's owner). After that the daemon
     * writes through the group bit, as every Debian MDA in group mail does.
     */
    @Override
    public void created(String account, Path file) throws IOException {
        if (!owns(account)) return;
        String user = account.substring(0, account.lastIndexOf('@'));
        Passwd.Account a = account(user).orElseThrow(() -> new IOException("no Unix account " + user + " for " + file));
        PosixFileAttributeView v = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        UserPrincipalLookupService names = file.getFileSystem().getUserPrincipalLookupService();
        v.setPermissions(PosixFilePermissions.fromString("rw-rw----"));
        v.setGroup(names.lookupPrincipalByGroupName(MAIL_GROUP));
        v.setOwner(names.lookupPrincipalByName(a.name()));
    }
}
