package org.mailroom.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PropertiesAccountStoreTest {
    /** Cheap parameters keep the suite fast; the real ones are tested in PasswordHasherTest. */
    private static final PasswordHasher HASHER = new PasswordHasher(256, 1, 1);

    @TempDir Path dir;
    Path file;
    PropertiesAccountStore store;

    @BeforeEach
    void setUp() {
        file = dir.resolve("users.properties");
        store = new PropertiesAccountStore(file, HASHER);
    }

    private static List<String> addresses(AccountStore s) throws IOException {
        return s.list().stream().map(Account::address).toList();
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void missingFileMeansNoAccounts() throws IOException {
        assertEquals(List.of(), store.list());
        assertEquals(Optional.empty(), store.find("alice@example.org"));
        assertFalse(store.remove("alice@example.org"));
        assertFalse(Files.exists(file), "reading must not create the file");
    }

    @Test
    void addFindListSetPasswordRemove() throws IOException {
        store.add("Alice@Example.ORG", "one".toCharArray());
        store.add("bob@example.org", "two".toCharArray());

        assertEquals(List.of("alice@example.org", "bob@example.org"), addresses(store));
        assertEquals(Optional.of(new Account("alice@example.org")), store.find("ALICE@example.org"));
        assertTrue(store.authenticate("alice@example.org", "one".toCharArray()).isPresent());
        assertTrue(store.authenticate("alice@example.org", "two".toCharArray()).isEmpty());

        store.setPassword("alice@example.org", "three".toCharArray());
        assertTrue(store.authenticate("alice@example.org", "one".toCharArray()).isEmpty());
        assertEquals(Optional.of(new Account("alice@example.org")),
                store.authenticate("alice@example.org", "three".toCharArray()));
        assertTrue(store.authenticate("bob@example.org", "two".toCharArray()).isPresent(), "others unchanged");

        assertTrue(store.remove("alice@example.org"));
        assertFalse(store.remove("alice@example.org"));
        assertEquals(List.of("bob@example.org"), addresses(store));
        assertTrue(store.authenticate("alice@example.org", "three".toCharArray()).isEmpty());
    }

    @Test
    void fileHoldsOnlyHashes() throws IOException {
        store.add("alice@example.org", "hunter2hunter2".toCharArray());
        String text = Files.readString(file);
        assertFalse(text.contains("hunter2"));
        assertTrue(text.contains("alice@example.org = $argon2id$v=19$m=256,t=1,p=1$"), text);
    }

    @Test
    void fileAndLockFileAreMode0600AfterEveryWrite() throws IOException {
        store.add("alice@example.org", "one".toCharArray());
        assertEquals("rw-------", mode(file));
        assertEquals("rw-------", mode(dir.resolve("users.properties.lock")));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--")); // an admin's chmod
        store.setPassword("alice@example.org", "two".toCharArray());
        assertEquals("rw-------", mode(file));
        store.remove("alice@example.org");
        assertEquals("rw-------", mode(file));
        try (var s = Files.list(dir)) {
            assertEquals(List.of("users.properties", "users.properties.lock"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
        }
    }

    @Test
    void secondInstanceSeesChangesOfTheFirst() throws IOException {
        // The daemon's store, with the file already read once ...
        store.add("alice@example.org", "one".toCharArray());
        assertTrue(store.find("alice@example.org").isPresent());
        // ... and the command line's, another instance on the same file.
        PropertiesAccountStore cli = new PropertiesAccountStore(file, HASHER);
        cli.add("bob@example.org", "two".toCharArray());
        assertEquals(List.of("alice@example.org", "bob@example.org"), addresses(store));

        // Same file size and, likely, the same mtime tick: the inode tells the change.
        cli.setPassword("alice@example.org", "new".toCharArray());
        assertTrue(store.authenticate("alice@example.org", "new".toCharArray()).isPresent());
        assertTrue(store.authenticate("alice@example.org", "one".toCharArray()).isEmpty());

        cli.remove("bob@example.org");
        assertEquals(Optional.empty(), store.find("bob@example.org"));

        // And the other way round: the first store's writes keep the second's changes.
        store.add("carol@example.org", "three".toCharArray());
        assertEquals(List.of("alice@example.org", "carol@example.org"), addresses(cli));
    }

    @Test
    void handEditedFileIsReadAndCommentsSurviveRewrites() throws IOException {
        String bobHash = HASHER.hash("two".toCharArray());
        Files.writeString(file, "# accounts of example.org\n\n"
                + "Bob@Example.org=" + bobHash + "\n"
                + "this line is junk\n"
                + "# keep me\n", StandardCharsets.UTF_8);
        assertEquals(List.of("bob@example.org"), addresses(store));
        assertTrue(store.authenticate("bob@example.org", "two".toCharArray()).isPresent());

        store.add("alice@example.org", "one".toCharArray());
        store.setPassword("bob@example.org", "2".toCharArray());
        List<String> lines = Files.readAllLines(file);
        assertEquals("# accounts of example.org", lines.get(0));
        assertEquals("", lines.get(1));
        assertTrue(lines.get(2).startsWith("bob@example.org = $argon2id$"), lines.get(2));
        assertEquals("this line is junk", lines.get(3));
        assertEquals("# keep me", lines.get(4));
        assertTrue(lines.get(5).startsWith("alice@example.org = $argon2id$"), lines.get(5));
        assertEquals(6, lines.size());
    }

    @Test
    void unknownUserAuthenticatesEmpty() throws IOException {
        assertTrue(store.authenticate("nobody@example.org", "x".toCharArray()).isEmpty(), "no file at all");
        store.add("alice@example.org", "one".toCharArray());
        assertTrue(store.authenticate("nobody@example.org", "one".toCharArray()).isEmpty());
        assertTrue(store.authenticate("", "one".toCharArray()).isEmpty());
    }

    @Test
    void corruptStoredHashFailsLoginWithoutException() throws IOException {
        Files.writeString(file, "alice@example.org = {PLAIN}secret\n");
        assertTrue(store.find("alice@example.org").isPresent());
        assertTrue(store.authenticate("alice@example.org", "secret".toCharArray()).isEmpty());
        assertTrue(store.authenticate("alice@example.org", "{PLAIN}secret".toCharArray()).isEmpty());
    }

    @Test
    void addRejectsDuplicatesAndEmptyPasswords() throws IOException {
        store.add("alice@example.org", "one".toCharArray());
        assertThrows(IllegalArgumentException.class, () -> store.add("ALICE@example.org", "x".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> store.add("bob@example.org", new char[0]));
        assertThrows(IllegalArgumentException.class, () -> store.setPassword("bob@example.org", "x".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> store.setPassword("alice@example.org", new char[0]));
        assertEquals(List.of("alice@example.org"), addresses(store));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "alice", "@example.org", "alice@", "al ice@example.org", "alice@exa mple.org", "alice@@example.org",
        "a=b@example.org", "#alice@example.org", ".alice@example.org", "alice.@example.org", "al..ice@example.org",
        "\"alice\"@example.org", "alice@-example.org", "alice@example-.org", "alice@example..org", "alice@example.org.",
        "alice@exam_ple.org", "alice@[127.0.0.1]", "älice@example.org", "alice\n@example.org",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.org", // 65 octets
    })
    void addRejectsMalformedAddresses(String address) {
        assertThrows(IllegalArgumentException.class, () -> store.add(address, "pw".toCharArray()));
        assertFalse(Files.exists(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postmaster@localhost", "a.b+tag@mail.example.org", "o'hara@example.org",
        "x_y-z!$%&*/?^`{|}~@sub-domain.example", "1@2.example"})
    void addAcceptsDotAtomAddresses(String address) throws IOException {
        store.add(address, "pw".toCharArray());
        assertTrue(store.find(address).isPresent());
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        PropertiesAccountStore other = new PropertiesAccountStore(file, HASHER);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                AccountStore s = i % 2 == 0 ? store : other;
                String a = "user" + i + "@example.org";
                fs.add(pool.submit(() -> { s.add(a, "pw".toCharArray()); return null; }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(20, store.list().size());
        assertEquals(20, other.list().size());
    }

    @Test
    void newPasswordsCarryScramKeysAndOldLinesStayValid() throws IOException {
        store.add("alice@example.org", "pencil".toCharArray());
        String line = Files.readAllLines(file).stream().filter(l -> l.startsWith("alice@")).findFirst().orElseThrow();
        assertTrue(line.matches("alice@example\\.org = \\$argon2id\\$[^;]+;SCRAM-SHA-256\\$4096:[^;]+"), line);
        ScramCredentials c = store.scramSha256("alice@example.org").orElseThrow();
        assertEquals(ScramCredentials.derive("pencil".toCharArray(), c.salt(), c.iterations()), c);
        assertTrue(store.authenticate("alice@example.org", "pencil".toCharArray()).isPresent());

        // a line written before SCRAM keys existed: PLAIN works, SCRAM has nothing
        String phc = HASHER.hash("old".toCharArray());
        Files.writeString(file, Files.readString(file) + "bob@example.org = " + phc + "\n");
        assertTrue(store.authenticate("bob@example.org", "old".toCharArray()).isPresent());
        assertEquals(Optional.empty(), store.scramSha256("bob@example.org"));
        store.setPassword("bob@example.org", "new".toCharArray());
        assertTrue(store.scramSha256("bob@example.org").isPresent(), "passwd adds the SCRAM keys");
    }
}
