package org.mailroom.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigError;
import org.mailroom.config.ConfigLoader;
import org.mailroom.config.Keys;
import org.mailroom.daemon.control.ControlResponse;

class ReloadTest {
    @TempDir
    Path dir;

    private final List<String> refreshed = new ArrayList<>();

    private void write(String... lines) throws IOException {
        Files.writeString(dir.resolve("mailroom.properties"), String.join("\n", lines) + "\n");
    }

    private Reload reload(Reload.Check check) throws Exception {
        Config running = ConfigLoader.load(dir);
        return new Reload(running, () -> ConfigLoader.load(dir), check,
                List.of(() -> refreshed.add("tls"), () -> refreshed.add("accounts")));
    }

    private static String relay(Config c) {
        return c.get(Keys.RELAY_NETWORKS).toString();
    }

    @Test
    void liveKeyIsTakenAndTheFilesAreReRead() throws Exception {
        write("relay.networks = 127.0.0.0/8");
        Reload r = reload(c -> { });
        String before = relay(r.current());
        write("relay.networks = 127.0.0.0/8, 192.0.2.0/24");

        Reload.Result res = r.run();

        assertFalse(res.isRejected());
        assertEquals(List.of("relay.networks"), res.applied());
        assertEquals(List.of(), res.restartNeeded());
        assertEquals(relay(ConfigLoader.load(dir)), relay(r.current()));
        assertFalse(before.equals(relay(r.current())));
        assertEquals(List.of("tls", "accounts"), refreshed);
    }

    @Test
    void keysThatNeedARestartKeepTheirRunningValue() throws Exception {
        write("smtp.listen = 127.0.0.1:2525", "data.dir = /srv/a");
        Reload r = reload(c -> { });
        write("smtp.listen = 127.0.0.1:2526", "data.dir = /srv/b", "transport.partner.example = [192.0.2.5]:25");

        Reload.Result res = r.run();

        assertFalse(res.isRejected());
        assertEquals(List.of(), res.applied());
        assertEquals(List.of("data.dir", "smtp.listen", "transport.partner.example"),
                res.restartNeeded().stream().sorted().toList());
        assertEquals("/srv/a", r.current().get(Keys.DATA_DIR));
        assertEquals(2525, r.current().get(Keys.SMTP_LISTEN).get(0).port());
        // the live files are still re-read: a certificate renewal does not wait for the restart
        assertEquals(List.of("tls", "accounts"), refreshed);
    }

    @Test
    void unchangedFileAppliesNothing() throws Exception {
        write("relay.networks = 127.0.0.0/8");
        Reload r = reload(c -> { });
        Config before = r.current();

        Reload.Result res = r.run();

        assertNull(res.rejected());
        assertEquals(List.of(), res.applied());
        assertEquals(List.of(), res.restartNeeded());
        assertTrue(before == r.current());
    }

    @Test
    void badValueIsRejectedWithFileLineKeyAndNothingChanges() throws Exception {
        write("relay.networks = 127.0.0.0/8");
        Reload r = reload(c -> { });
        Config before = r.current();
        write("# comment", "relay.networks = 10.0.0.0/99");

        Reload.Result res = r.run();

        assertTrue(res.isRejected());
        String line = res.rejected().oneLine();
        assertTrue(line.startsWith(dir.resolve("mailroom.properties") + ":2: relay.networks: "), line);
        assertTrue(before == r.current());
        assertEquals(List.of(), refreshed, "nothing is re-read when the configuration is rejected");
    }

    @Test
    void unknownKeyIsRejected() throws Exception {
        write("relay.networks = 127.0.0.0/8");
        Reload r = reload(c -> { });
        write("relay.networks = 10.0.0.0/8", "smtp.lisen = *:25");

        Reload.Result res = r.run();

        assertTrue(res.isRejected());
        assertEquals("smtp.lisen", res.rejected().key());
        assertEquals(2, res.rejected().line());
        assertEquals("[127.0.0.0/8]", relay(r.current()).replace(" ", ""));
    }

    @Test
    void failedCheckIsRejected() throws Exception {
        write("relay.networks = 127.0.0.0/8");
        Path file = dir.resolve("mailroom.properties");
        Reload r = reload(c -> {
            if (c.get(Keys.RELAY_NETWORKS).size() > 1) throw new ConfigError(file, 0, "tls.cert", "no such file");
        });
        write("relay.networks = 127.0.0.0/8, 10.0.0.0/8");

        Reload.Result res = r.run();

        assertTrue(res.isRejected());
        assertEquals(file + ": tls.cert: no such file", res.rejected().oneLine());
        assertEquals(1, r.current().get(Keys.RELAY_NETWORKS).size());
    }

    @Test
    void aFailingRefreshDoesNotStopTheOthers() throws Exception {
        write("relay.networks = 127.0.0.0/8");
        Reload r = new Reload(ConfigLoader.load(dir), () -> ConfigLoader.load(dir), c -> { },
                List.of(() -> { throw new IllegalStateException("boom"); }, () -> refreshed.add("aliases")));

        assertFalse(r.run().isRejected());
        assertEquals(List.of("aliases"), refreshed);
    }

    @Test
    void controlAnswerListsWhatChangedOrTheRejection() throws Exception {
        write("relay.networks = 127.0.0.0/8", "smtp.maxRecipients = 100");
        Reload r = reload(c -> { });
        write("relay.networks = 10.0.0.0/8", "smtp.maxRecipients = 50");

        ControlResponse ok = r.answer();
        assertTrue(ok.isOk());
        assertEquals(List.of("applied: relay.networks", "restart needed for smtp.maxRecipients"), ok.lines());

        // an escaped line end in a bad value must not split the one-line answer
        write("relay.networks = 10.0.0.0/8\\nx");
        ControlResponse bad = r.answer();
        assertFalse(bad.isOk());
        assertTrue(bad.error().startsWith(dir.resolve("mailroom.properties") + ":1: relay.networks: "), bad.error());
        assertTrue(bad.error().chars().noneMatch(c -> c < 0x20), bad.error());
    }

    @Test
    void daemonValidateRejectsABrokenAliasesFile() throws Exception {
        write("relay.networks = 127.0.0.1/32");
        Files.writeString(dir.resolve("aliases"), "postmaster: admin@example.org\nnot an alias line\n");
        Reload r = reload(Daemon::validate);

        Reload.Result res = r.run();

        assertTrue(res.isRejected());
        assertTrue(res.rejected().oneLine().startsWith(dir.resolve("aliases") + ":2: "), res.rejected().oneLine());
    }
}
