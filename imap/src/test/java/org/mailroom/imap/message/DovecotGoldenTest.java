package org.mailroom.imap.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mailroom.imap.message.Mail.s;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files (STYLE.md 1.5, Postfix's {@code .in}/{@code .ref}): each {@code dovecot/NAME.eml}
 * is a stored message, {@code NAME.ref} what Dovecot 2.3.19 answered to
 * {@code FETCH (BODYSTRUCTURE BODY ENVELOPE)} for it. Regenerating a {@code .ref} means running
 * Dovecot again, deliberately; this test does not need it. Every message is also checked in the
 * other stored form (LF for CRLF and back), which must not change a single octet of the answer.
 */
class DovecotGoldenTest {

    static Stream<String> names() {
        return Stream.of("8bit-header", "digest", "edge-addresses", "encoded-rfc822", "gen-digest-deep",
                "gen-folded-name", "gen-long-subject", "gen-mixed-deep", "gen-related", "groups-routes",
                "nested-boundaries", "rfc2231", "rfc822-nested", "unterminated");
    }

    @ParameterizedTest
    @MethodSource("names")
    void sameAsDovecot(String name) throws IOException {
        byte[] stored = resource(name + ".eml");
        String ref = s(resource(name + ".ref"));
        String text = s(stored);
        boolean crlf = text.contains("\r\n");
        for (byte[] form : List.of(stored, crlf ? Mail.lf(text) : Mail.crlf(text))) {
            MessageStructure m = MessageStructure.parse(form);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write("BODYSTRUCTURE ".getBytes());
            out.write(m.bodyStructure());
            out.write(" BODY ".getBytes());
            out.write(m.body());
            out.write(" ENVELOPE ".getBytes());
            out.write(m.envelopeImap());
            assertEquals(ref, s(out.toByteArray()));
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DovecotGoldenTest.class.getResourceAsStream("dovecot/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource dovecot/" + name);
            }
            return in.readAllBytes();
        }
    }
}
