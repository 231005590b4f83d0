package org.mailroom.delivery.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.core.account.PasswordHasher;
import org.mailroom.core.account.PropertiesAccountStore;

/** Issue 8: the host's Unix accounts as a local domain, after aliases and virtual accounts. */
class RouterSystemUsersTest {
    @TempDir
    Path tmp;

    @Test
    void unixAccountsOfTheHostsOwnNamesReachOneMailboxAliasesWinAndSystemAccountsNeedAnAlias() throws Exception {
        PropertiesAccountStore store = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        store.add("carol@localhost", "pw".toCharArray()); // a virtual account in localhost wins over the Unix carol
        Path f = tmp.resolve("aliases");
        Files.writeString(f, "root: alice@example.org\nbob: \\bob, bob@elsewhere.example\n");
        Aliases aliases = Aliases.load(f);
        Set<String> unix = Set.of("bob", "carol", "dave"); // dave: uid >= minUid; root and daemon: below it
        Router r = new Router(List.of("example.org", "mx.example.org", "localhost"), store, () -> aliases,
                Set.of("mx.example.org", "localhost"), "mx.example.org", unix::contains);
        assertEquals("local dave@mx.example.org", Router.describe(r.expand("dave@localhost")));
        assertEquals("local dave@mx.example.org", Router.describe(r.expand("Dave@MX.example.org")));
        assertEquals("local dave@mx.example.org", Router.describe(r.expand("dave+cron@localhost")));
        assertEquals("unknown dave@example.org", Router.describe(r.expand("dave@example.org")), "only the host's own names");
        assertEquals("local carol@localhost", Router.describe(r.expand("carol@localhost")));
        assertEquals("local carol@mx.example.org", Router.describe(r.expand("carol@mx.example.org")));
        assertEquals("unknown daemon@localhost", Router.describe(r.expand("daemon@localhost")));
        assertEquals("unknown alice@example.org", Router.describe(r.expand("root@localhost")));
        assertEquals("local bob@mx.example.org\nremote bob@elsewhere.example", Router.describe(r.expand("bob@localhost")));
    }

    @Test
    void dotForwardSendsOnKeepsACopyWithBackslashRefusesProgramsAndFilesAndDoesNotLoop() throws Exception {
        PropertiesAccountStore store = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        Map<String, List<String>> forwards = Map.of(
                "bob", List.of("\\bob", "bob@elsewhere.example"),
                "carol", List.of("|/usr/bin/procmail", "/home/carol/mail.log", "dave"),
                "dave", List.of("carol", "dave@elsewhere.example"),
                "erin", List.of());
        SystemUsers unix = new SystemUsers() {
            @Override
            public boolean receivesMail(String local) {
                return Set.of("bob", "carol", "dave", "erin", "frank").contains(local);
            }

            @Override
            public List<String> forward(String local) {
                return forwards.get(local);
            }
        };
        Router r = new Router(List.of("mx.example.org", "localhost"), store, Aliases::empty,
                Set.of("mx.example.org", "localhost"), "mx.example.org", unix);
        assertEquals("local bob@mx.example.org\nremote bob@elsewhere.example", Router.describe(r.expand("bob@localhost")));
        // carol -> dave -> carol again: the loop ends in carol's mailbox, as for aliases
        assertEquals("refused |/usr/bin/procmail (delivery to a command from ~carol/.forward is not allowed)\n"
                + "refused /home/carol/mail.log (delivery to a file from ~carol/.forward is not allowed)\n"
                + "local carol@mx.example.org\n"
                + "remote dave@elsewhere.example", Router.describe(r.expand("carol@mx.example.org")));
        assertEquals("local erin@mx.example.org", Router.describe(r.expand("erin@localhost")), "an empty .forward");
        assertEquals("local frank@mx.example.org", Router.describe(r.expand("frank@localhost")), "no .forward");
    }
    @Test
    void withForwardProgramsCommandsAndFilesRunAsTheUserAndSurviveTheQueue() throws Exception {
        PropertiesAccountStore store = new PropertiesAccountStore(tmp.resolve("users.properties"), new PasswordHasher());
        boolean[] allowed = {true};
        SystemUsers unix = new SystemUsers() {
            @Override
            public boolean receivesMail(String local) {
                return local.equals("carol");
            }

            @Override
            public List<String> forward(String local) {
                return local.equals("carol") ? List.of("|/usr/bin/procmail -f- a@b.example", "/home/carol/mail.log") : null;
            }

            @Override
            public boolean forwardPrograms() {
                return allowed[0];
            }
        };
        Router r = new Router(List.of("mx.example.org", "localhost"), store, Aliases::empty,
                Set.of("mx.example.org", "localhost"), "mx.example.org", unix);
        List<Route> routes = r.expand("carol@localhost");
        assertEquals("as carol |/usr/bin/procmail -f- a@b.example\nas carol /home/carol/mail.log", Router.describe(routes));
        Route.UserTarget pipe = (Route.UserTarget) routes.get(0);
        assertEquals("carol@mx.example.org", pipe.account());
        assertEquals("/usr/bin/procmail -f- a@b.example", pipe.value());
        // the queue keeps it as ~user:target, which routes back to the same target
        assertEquals("~carol:|/usr/bin/procmail -f- a@b.example", pipe.queueAddress());
        assertEquals(pipe, r.route(pipe.queueAddress()));
        assertEquals(routes.get(1), r.route("~carol:/home/carol/mail.log"));
        assertEquals("unknown ~mallory:|/bin/sh", Router.describe(List.of(r.route("~mallory:|/bin/sh"))), "not a user who receives mail");
        allowed[0] = false; // switched off while the message waited
        assertEquals("refused |/usr/bin/procmail -f- a@b.example (delivery to a command from ~carol/.forward is not allowed)",
                Router.describe(List.of(r.route(pipe.queueAddress()))));
        // a .forward (or alias) naming the queue's form of a user's command never reaches the queue
        SystemUsers mallory = new SystemUsers() {
            @Override
            public boolean receivesMail(String local) {
                return local.equals("carol") || local.equals("mallory");
            }

            @Override
            public List<String> forward(String local) {
                return local.equals("mallory") ? List.of("~carol:|/bin/sh -c id@x.example", "~carol:/tmp/x", "\\mallory") : null;
            }

            @Override
            public boolean forwardPrograms() {
                return true;
            }
        };
        Router m = new Router(List.of("mx.example.org", "localhost"), store, Aliases::empty,
                Set.of("mx.example.org", "localhost"), "mx.example.org", mallory);
        assertEquals("refused ~carol:|/bin/sh -c id@x.example (not a valid address)\n"
                + "refused ~carol:/tmp/x@mx.example.org (not a valid address)\n"
                + "local mallory@mx.example.org", Router.describe(m.expand("mallory@localhost")));
        assertEquals("refused ~carol:|x@example.org (not a valid address)", Router.describe(m.expand("~carol:|x@example.org")));
        assertEquals(null, Route.UserTarget.parseQueueAddress("carol@mx.example.org"));
        assertEquals(null, Route.UserTarget.parseQueueAddress("~carol@mx.example.org"));
    }
}
