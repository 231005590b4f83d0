package org.mailroom.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mailroom.config.Config;
import org.mailroom.config.ConfigLoader;
import org.mailroom.config.Key;
import org.mailroom.config.Keys;
import org.mailroom.config.ListenAddress;

/**
 * The files of the Debian package (src/deb) as the daemon and the docs see them. Whether systemd
 * accepts the unit is checked by {@code systemd-analyze verify} in .ci/deb-smoke.sh, on the
 * installed unit: it needs /usr/bin/mailroom to exist.
 */
class PackagingTest {
    private static final Path DEB = Path.of("src/deb");

    @Test
    void shippedConfigurationLoadsAndBindsTheStandardPortsOnAllAddresses() throws Exception {
        Config c = ConfigLoader.load(DEB.resolve("etc"));
        Daemon.validate(c); // aliases and senders parse; TLS self-signed until tls.* are set

        assertEquals("/var/lib/mailroom", c.get(Keys.DATA_DIR));
        Map<Key<List<ListenAddress>>, Integer> ports = Map.of(Keys.SMTP_LISTEN, 25, Keys.SUBMISSION_LISTEN, 587,
                Keys.SUBMISSIONS_LISTEN, 465, Keys.POP3_LISTEN, 110, Keys.POP3S_LISTEN, 995);
        ports.forEach((k, port) -> assertEquals(List.of(new ListenAddress("*", port)), c.get(k), k.name()));
        String text = Files.readString(DEB.resolve("etc/mailroom.properties"));
        assertTrue(text.contains("#tls.cert = /etc/letsencrypt/live/"), "Let's Encrypt example");
        // commented out until the IMAP listener's keys exist (an unknown key stops the start)
        assertTrue(text.matches("(?s).*\\n#?imap\\.listen = \\*:143\\n.*"), "imap.listen on 143");
        assertTrue(text.matches("(?s).*\\n#?imaps\\.listen = \\*:993\\n.*"), "imaps.listen on 993");
    }

    @Test
    void everyConffileIsShipped() throws Exception {
        List<String> conffiles = Files.readAllLines(DEB.resolve("control/conffiles"));
        assertEquals(List.of("/etc/mailroom/mailroom.properties", "/etc/mailroom/aliases", "/etc/mailroom/senders"), conffiles);
        for (String f : conffiles) {
            assertTrue(Files.isRegularFile(DEB.resolve("etc").resolve(Path.of(f).getFileName())), f);
        }
        // users.properties is made by postinst (0600, mailroom), never shipped: dpkg would own it
        assertFalse(Files.exists(DEB.resolve("etc/users.properties")));
    }

    @Test
    void unitRunsUnprivilegedWithOnlyTheBindCapabilityAndReloadsOnHup() throws Exception {
        List<String> unit = Files.readAllLines(DEB.resolve("systemd/mailroom.service"));
        for (String line : List.of("Type=simple", "User=mailroom", "ExecStart=/usr/bin/mailroom run",
                "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure",
                "AmbientCapabilities=CAP_NET_BIND_SERVICE", "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
                "NoNewPrivileges=true", "ProtectSystem=strict", "ReadWritePaths=/var/lib/mailroom",
                "ProtectHome=true", "PrivateTmp=true", "PrivateDevices=true", "SuccessExitStatus=143")) {
            assertTrue(unit.contains(line), line);
        }
        assertTrue(unit.stream().noneMatch(l -> l.startsWith("MemoryDenyWriteExecute")), "the JIT needs W+X memory");
        int nofile = unit.stream().filter(l -> l.startsWith("LimitNOFILE=")).findFirst()
                .map(l -> Integer.parseInt(l.substring("LimitNOFILE=".length()))).orElse(0);
        assertTrue(nofile >= 4 * 2000, "room for net.maxConnections' default and more: " + nofile);
    }

    @Test
    void installGuideShowsTheUnitAsShipped() throws Exception {
        String unit = Files.readString(DEB.resolve("systemd/mailroom.service"));
        String guide = Files.readString(Path.of("../docs/install.md"));
        assertTrue(guide.contains("```ini\n" + unit + "```\n"), "docs/install.md must show mailroom.service in full, as shipped");
    }
}
