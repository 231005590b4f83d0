package org.mailroom.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailboxes;
import org.mailroom.core.store.MessageContent;
import org.mailroom.core.store.StoreDelivery;
import org.mailroom.core.store.maildir.MaildirName;
import org.mailroom.core.unix.Passwd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code local.systemMailbox = maildir} (issue 8, docs/local-mail.md): the Unix users' mail goes
 * into {@code <home>/Maildir/} (home from passwd) instead of the spool; every other account goes
 * to the store this wraps. Only delivery: IMAP and POP3 never serve Unix users (no PAM), and
 * nothing of ours (no index) is written into a user's Maildir.
 *
 * <p>One message, per user: {@code Maildir/}, {@code tmp/}, {@code new/} and {@code cur/} are
 * made when missing (mode 0700, then given to the user); the message is written to
 * {@code tmp/<unique name>} (named as the store names its files, {@link MaildirName}), fsynced,
 * made mode 0600, group the user's primary group, owner the user; {@link StoreDelivery#commit}
 * renames it into {@code new/} and fsyncs {@code new/}.
 *
 * <p>A home belongs to its user, who may put anything there, so nothing below the Maildir is
 * reached by path: {@code Maildir} is opened, then checked to be the directory (not a link)
 * that the name holds; each sub-directory is opened through its parent's descriptor without
 * following a symbolic link ({@link SecureDirectoryStream}, openat with O_NOFOLLOW); owners are
 * read from the open descriptors; the file is created, chowned and renamed relative to them.
 * A {@code Maildir} or sub-directory that is a symbolic link, not a directory, or owned by anyone
 * but the user refuses the delivery as a temporary failure with a log line, so a user cannot
 * make the daemon write or give away a file anywhere else. XXX the JDK has no mkdirat: a missing
 * directory is made by path and then opened as above; a user who races that can at worst make
 * the daemon create an empty 0700 directory named Maildir, tmp, new or cur where the daemon may
 * write, which it then refuses to use.
 *
 * <p>Privilege: CAP_DAC_OVERRIDE (to enter and write directories that are the user's, mode 0700)
 * and CAP_CHOWN (to give each message file to the user); see docs/local-mail.md for why and how a
 * site with prepared group-{@code mail} Maildirs needs only CAP_CHOWN.
 */
final class HomeMaildirs implements MailStore {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.local");
    private static final String[] SUBDIRS = {"tmp", "new", "cur"};

    private final MailStore others;
    private final SystemMailboxes system;
    private final String hostname;
    private final Path protectedHardlinks;

    /** @param others the store of every account that is not a Unix user's */
    HomeMaildirs(MailStore others, SystemMailboxes system, String hostname) {
        this(others, system, hostname, Path.of("/proc/sys/fs/protected_hardlinks"));
    }

    /** @param protectedHardlinks the sysctl file that must read 1 (tests give another) */
    HomeMaildirs(MailStore others, SystemMailboxes system, String hostname, Path protectedHardlinks) {
        this.others = others;
        this.system = system;
        this.hostname = hostname;
        this.protectedHardlinks = protectedHardlinks;
    }

    @Override
    public StoreDelivery newDelivery() {
        return new Delivery(others.newDelivery());
    }

    /**
     * XXX for a Unix user this is the account's folder set in the data directory, which stays
     * empty: only the quota check before delivery asks, and finds nothing; no login reaches it.
     */
    @Override
    public Mailboxes mailboxes(String account) {
        return others.mailboxes(account);
    }

    /** A message written to a user's {@code tmp/}, with the directories it is renamed between. */
    private record Staged(String account, SecureDirectoryStream<Path> tmp, SecureDirectoryStream<Path> newDir,
                          Path newPath, String name) {}

    private final class Delivery implements StoreDelivery {
        private final StoreDelivery rest;
        private final Set<String> users = new LinkedHashSet<>();
        private final List<Staged> staged = new ArrayList<>();
        private boolean anyOther;
        private boolean committed;

        Delivery(StoreDelivery rest) {
            this.rest = rest;
        }

        @Override
        public void addRecipient(String account) {
            if (system.owns(account)) {
                users.add(account.toLowerCase(Locale.ROOT));
            } else {
                rest.addRecipient(account);
                anyOther = true;
            }
        }

        @Override
        public void write(MessageContent content) throws IOException {
            for (String account : users) staged.add(stage(account, content));
            if (anyOther) rest.write(content);
        }

        @Override
        public void commit() throws IOException {
            for (Staged s : staged) {
                Path name = Path.of(s.name());
                s.tmp().move(name, s.newDir(), name); // renameat(2) between the two open directories
                sync(s.newDir(), s.newPath());
            }
            committed = true;
            close();
            if (anyOther) rest.commit();
        }

        @Override
        public void abort() {
            if (!committed) {
                for (Staged s : staged) {
                    try {
                        s.tmp().deleteFile(Path.of(s.name()));
                    } catch (IOException ignored) {
                        // XXX a leftover in tmp/ is harmless; Maildir readers ignore tmp/
                    }
                }
            }
            close();
            rest.abort();
        }

        private void close() {
            for (Staged s : staged) {
                closeQuietly(s.tmp());
                closeQuietly(s.newDir());
            }
            staged.clear();
        }
    }

    /** Writes the message into the user's {@code tmp/} and gives it to the user; see the class comment. */
    private Staged stage(String account, MessageContent content) throws IOException {
        try {
            return stageOrThrow(account, content);
        } catch (java.nio.file.AccessDeniedException e) {
            // the JDK's message is the bare path; the postmaster needs the reason
            log.warn("Maildir delivery to {}: {}: Permission denied (CAP_DAC_OVERRIDE is needed for a home only its user may write)",
                    account, e.getFile());
            throw new IOException(e.getFile() + ": Permission denied", e);
        }
    }

    private Staged stageOrThrow(String account, MessageContent content) throws IOException {
        Passwd.Account a = system.unixAccount(account)
                .orElseThrow(() -> new IOException("no Unix account for " + account));
        requireProtectedHardlinks(a);
        if (a.home().isEmpty() || !a.home().startsWith("/")) throw refuse(a, "has no home directory in passwd");
        Path home = Path.of(a.home());
        UserPrincipalLookupService names = home.getFileSystem().getUserPrincipalLookupService();
        // by number, as the passwd file gives them: the JDK takes a number for a name it cannot find
        // (XXX wrong only for a user or group whose name is another one's number, which useradd refuses)
        UserPrincipal owner = names.lookupPrincipalByName(Long.toString(a.uid()));
        GroupPrincipal group = names.lookupPrincipalByGroupName(Long.toString(a.gid()));
        SecureDirectoryStream<Path> maildir = null, tmp = null, newDir = null;
        try {
            Path md = home.resolve("Maildir");
            maildir = maildir(md, a, owner, group);
            tmp = directory(maildir, md, "tmp", a, owner, group);
            newDir = directory(maildir, md, "new", a, owner, group);
            closeQuietly(directory(maildir, md, "cur", a, owner, group));
            long size = content.size();
            String name = MaildirName.unique(hostname, size, size + content.lines());
            Path file = Path.of(name);
            Set<OpenOption> create = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try (SeekableByteChannel ch = tmp.newByteChannel(file, create,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                 InputStream in = content.open()) {
                OutputStream out = Channels.newOutputStream(ch);
                in.transferTo(out);
                if (ch instanceof FileChannel fc) fc.force(true); // data and metadata before the name is visible
            }
            Staged s = new Staged(account, tmp, newDir, md.resolve("new"), name);
            try {
                PosixFileAttributeView v = tmp.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                v.setPermissions(PosixFilePermissions.fromString("rw-------"));
                v.setGroup(group);
                v.setOwner(owner); // CAP_CHOWN; after this the file is the user's alone
            } catch (IOException | RuntimeException e) {
                tmp.deleteFile(file);
                throw e;
            }
            return s;
        } catch (IOException | RuntimeException e) {
            closeQuietly(tmp);
            closeQuietly(newDir);
            throw e;
        } finally {
            closeQuietly(maildir);
        }
    }

    /**
     * {@code <home>/Maildir}, made when missing. Opened by path (the home need only be searchable,
     * not readable, for a site that prepared the Maildirs), then checked: the name must still be
     * a directory, not a link, and the very one that was opened (same device and inode), owned by
     * the user.
     */
    private static SecureDirectoryStream<Path> maildir(Path md, Passwd.Account a, UserPrincipal owner, GroupPrincipal group)
            throws IOException {
        boolean created = mkdir(md);
        if (created) {
            try (FileChannel home = FileChannel.open(md.getParent(), StandardOpenOption.READ)) {
                home.force(true);
            } catch (IOException e) {
                // best effort: the Maildir is made again should a crash lose it
            }
        }
        SecureDirectoryStream<Path> dir = secure(Files.newDirectoryStream(md), md);
        try {
            PosixFileAttributeView v = dir.getFileAttributeView(PosixFileAttributeView.class);
            PosixFileAttributes opened = v.readAttributes();
            PosixFileAttributes named;
            try {
                named = Files.readAttributes(md, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                throw refuse(a, md + " vanished while it was opened");
            }
            if (!named.isDirectory() || !named.fileKey().equals(opened.fileKey())) {
                throw refuse(a, md + " is not a directory (a symbolic link?)");
            }
            checkOwner(v, opened, created, md, a, owner, group);
            return dir;
        } catch (IOException | RuntimeException e) {
            closeQuietly(dir);
            throw e;
        }
    }

    /** mkdir(2) mode 0700; false when the name exists (as anything). */
    private static boolean mkdir(Path path) throws IOException {
        try {
            // XXX by path (no mkdirat in the JDK); what is used is checked afterwards through the descriptor
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // the usual case
        }
    }

    /** The user's, or just made by us and then given to the user; anything else is refused. */
    private static void checkOwner(PosixFileAttributeView v, PosixFileAttributes attrs, boolean created, Path path,
                                   Passwd.Account a, UserPrincipal owner, GroupPrincipal group) throws IOException {
        if (attrs.owner().equals(owner)) return;
        if (!created) throw refuse(a, path + " is owned by " + attrs.owner().getName() + ", not " + a.name());
        v.setPermissions(PosixFilePermissions.fromString("rwx------"));
        v.setGroup(group);
        v.setOwner(owner); // CAP_CHOWN
    }

    /**
     * XXX the JDK gives a file away by name (the view opens {@code tmp/<name>} again with
     * O_NOFOLLOW and fchowns that), not through the descriptor the file was written with, and
     * the user owns {@code tmp/}: in between, the user could put a hard link to another file
     * under that name. fs.protected_hardlinks=1 (Debian's default) lets a user link only files
     * they own or may read and write, which makes that pointless; without it nothing is given away.
     */
    private void requireProtectedHardlinks(Passwd.Account a) throws IOException {
        String v;
        try {
            v = Files.readString(protectedHardlinks).strip();
        } catch (IOException e) {
            v = "unreadable (" + e.getMessage() + ")";
        }
        if (!v.equals("1")) throw refuse(a, "fs.protected_hardlinks is " + v + ", not 1: no file is given away in a user's directory");
    }

    /**
     * {@code name} in {@code parent}, opened without following a link and owned by the user;
     * made (0700, then given to the user) when missing.
     */
    private static SecureDirectoryStream<Path> directory(SecureDirectoryStream<Path> parent, Path parentPath, String name,
                                                          Passwd.Account a, UserPrincipal owner, GroupPrincipal group)
            throws IOException {
        Path path = parentPath.resolve(name);
        boolean created = mkdir(path);
        SecureDirectoryStream<Path> dir;
        try {
            dir = secure(parent.newDirectoryStream(Path.of(name), LinkOption.NOFOLLOW_LINKS), path);
        } catch (FileSystemException e) { // ELOOP for a symbolic link, ENOTDIR for a file
            throw refuse(a, path + " is not a directory (a symbolic link?): " + e.getReason());
        }
        try {
            PosixFileAttributeView v = dir.getFileAttributeView(PosixFileAttributeView.class); // fstat of the open directory
            checkOwner(v, v.readAttributes(), created, path, a, owner, group);
            if (created) sync(parent, parentPath);
            return dir;
        } catch (IOException | RuntimeException e) {
            closeQuietly(dir);
            throw e;
        }
    }

    private static IOException refuse(Passwd.Account a, String why) {
        log.warn("Maildir delivery to {} refused: {}", a.name(), why);
        return new IOException("Maildir of " + a.name() + ": " + why);
    }

    @SuppressWarnings("unchecked")
    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> ds, Path path) throws IOException {
        if (ds instanceof SecureDirectoryStream<?> s) return (SecureDirectoryStream<Path>) s;
        ds.close();
        throw new IOException(path + ": this platform cannot open directories without following links");
    }

    /** fsync of an open directory (openat "." on its descriptor). */
    private static void sync(SecureDirectoryStream<Path> dir, Path path) throws IOException {
        try (SeekableByteChannel ch = dir.newByteChannel(Path.of("."), Set.of(StandardOpenOption.READ))) {
            if (ch instanceof FileChannel fc) fc.force(true);
        }
    }

    private static void closeQuietly(DirectoryStream<?> ds) {
        if (ds == null) return;
        try {
            ds.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
