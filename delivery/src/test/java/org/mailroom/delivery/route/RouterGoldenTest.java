package org.mailroom.delivery.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.config.ConfigError;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;

/**
 * Golden file (Postfix .in/.ref style): {@code route/expand.in} gives domains, accounts, an aliases
 * file and addresses; {@code route/expand.ref} the routes each expands to. To accept a changed
 * expectation run with {@code -Dgolden.update=true} and review the diff of the .ref file.
 */
class RouterGoldenTest {
    @TempDir
    Path tmp;

    @Test
    void expansionMatchesTheGoldenFile() throws Exception {
        Path in = Path.of("src/test/resources/route/expand.in");
        Path ref = Path.of("src/test/resources/route/expand.ref");
        List<String> lines = Files.readAllLines(in, StandardCharsets.UTF_8);
        List<String> domains = new ArrayList<>(), accounts = new ArrayList<>(), aliasLines = new ArrayList<>(),
                addresses = new ArrayList<>();
        String section = "";
        for (String l : lines) {
            if (l.startsWith("#") && !section.equals("aliases")) continue;
            if (l.startsWith("[domains]")) { domains.addAll(Arrays.asList(l.substring(9).trim().split("\\s+"))); continue; }
            if (l.startsWith("[accounts]")) { accounts.addAll(Arrays.asList(l.substring(10).trim().split("\\s+"))); continue; }
            if (l.startsWith("[aliases]")) { section = "aliases"; continue; }
            if (l.startsWith("[expand]")) { section = "expand"; continue; }
            if (section.equals("aliases")) aliasLines.add(l);
            else if (section.equals("expand") && !l.isBlank()) addresses.add(l.trim());
        }
        PropertiesAccountStore store = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        for (String a : accounts) store.add(a, "pw".toCharArray());
        Path aliasFile = tmp.resolve("aliases");
        Files.write(aliasFile, aliasLines, StandardCharsets.UTF_8);
        Aliases aliases = Aliases.load(aliasFile);
        Router router = new Router(domains, store, () -> aliases);

        StringBuilder got = new StringBuilder();
        for (String a : addresses) {
            got.append(a).append('\n');
            for (String r : Router.describe(router.expand(a)).split("\n")) got.append("  ").append(r).append('\n');
        }
        if (Boolean.getBoolean("golden.update")) Files.writeString(ref, got.toString(), StandardCharsets.UTF_8);
        assertEquals(Files.readString(ref, StandardCharsets.UTF_8), got.toString());
    }

    @Test
    void badAliasFilesNameFileAndLine() throws Exception {
        Path f = tmp.resolve("aliases");
        Files.writeString(f, "ok: alice\n  orphan continuation is fine here\n\n   \nbroken line\n");
        ConfigError e = assertThrows(ConfigError.class, () -> Aliases.load(f));
        assertEquals(f + ":5: expected \"name: target, ...\"", e.oneLine());
        Files.writeString(f, "a: b\nA: c\n");
        assertEquals(f + ":2: a: given twice (first on line 1)", assertThrows(ConfigError.class, () -> Aliases.load(f)).oneLine());
        Files.writeString(f, "a:\n");
        assertEquals(f + ":1: a: no targets", assertThrows(ConfigError.class, () -> Aliases.load(f)).oneLine());
        assertEquals(0, Aliases.load(tmp.resolve("missing")).size(), "no file: no aliases");
    }

    @Test
    void fanOutIsBounded() throws Exception {
        Path f = tmp.resolve("aliases");
        StringBuilder sb = new StringBuilder("big: ");
        for (int i = 0; i < 1500; i++) sb.append(i == 0 ? "" : ", ").append("u").append(i).append("@remote.example");
        Files.writeString(f, sb + "\n");
        Aliases aliases = Aliases.load(f);
        PropertiesAccountStore store = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        List<Route> routes = new Router(List.of("example.org"), store, () -> aliases).expand("big@example.org");
        assertTrue(routes.size() <= Router.MAX_TARGETS + 1, "size " + routes.size());
        assertTrue(routes.get(routes.size() - 1) instanceof Route.Refused);
    }
}
