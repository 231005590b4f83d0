package org.mailroom.delivery.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailroom.delivery.dsn.DsnRequest.Kind;
import org.mailroom.delivery.dsn.DsnRequest.Ret;
import org.mailroom.delivery.dsn.RecipientStatus.Action;

/**
 * Golden files (Postfix {@code .in}/{@code .ref}): {@code dsn/NAME.in} is the original message,
 * {@code dsn/NAME.ref} the whole report built for it with the fixed inputs below, compared octet
 * for octet.
 *
 * <p>When the output changes on purpose, regenerate and review the diff before committing:
 * <pre>
 * cd delivery &amp;&amp; DSN_REGENERATE=1 mvn -o test -Dtest=DsnGoldenTest
 * git diff src/test/resources/dsn/
 * </pre>
 */
class DsnGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/dsn");

    @TempDir Path tmp;

    @Test
    void failureBasic() throws Exception {
        RecipientStatus bob = new RecipientStatus("bob@example.net", "rfc822;bob@example.net", Action.FAILED,
                "5.1.1", "mx.example.net", "550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown"
                        + " in virtual mailbox table; please check the address and try again",
                Instant.parse("2026-11-23T18:00:02Z"), null);
        DsnRequest req = new DsnRequest(Kind.FAILURE, "QQ314159", "alice@example.org", Reports.ARRIVAL,
                List.of(bob), Ret.FULL, Reports.content(tmp, Files.readAllBytes(DIR.resolve("failure-basic.in"))),
                1 << 20);
        check("failure-basic", Reports.fixedBuilder().build(req));
    }

    private static void check(String name, byte[] actual) throws Exception {
        Path ref = DIR.resolve(name + ".ref");
        if (System.getenv("DSN_REGENERATE") != null) Files.write(ref, actual);
        assertEquals(Files.readString(ref, StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8),
                "differs from " + ref + " (see the class comment to regenerate)");
    }
}
