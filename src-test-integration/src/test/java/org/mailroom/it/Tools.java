package org.mailroom.it;

import static org.junit.jupiter.api.Assertions.fail;

import jakarta.mail.Session;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/** What the tests that drive real clients share: finding a tool, and an Angus Mail IMAPS session as the second path. */
final class Tools {
    private Tools() {}

    /**
     * Skips the test when {@code tool} is not on the PATH; fails instead under CI, where .ci/run
     * installs it with apt (package {@code aptPackage}).
     */
    static void require(String tool, String aptPackage) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return;
        }
        if (System.getenv("CI") != null) fail(tool + " is not installed; .ci/run installs it with apt");
        Assumptions.assumeTrue(false, tool + " is not installed (apt: " + aptPackage + ")");
    }

    /** An Angus Mail session for the daemon's IMAPS listener (its self-signed certificate trusted). */
    static Session imaps(MailroomProcess mailroom) {
        Properties p = new Properties();
        p.put("mail.imaps.host", "127.0.0.1");
        p.put("mail.imaps.port", String.valueOf(mailroom.port("imaps")));
        p.put("mail.imaps.ssl.enable", "true");
        p.put("mail.imaps.ssl.trust", "*");
        p.put("mail.imaps.ssl.checkserveridentity", "false");
        p.put("mail.imaps.timeout", "30000");
        return Session.getInstance(p);
    }
}
