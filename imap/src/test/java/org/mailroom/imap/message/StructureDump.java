package org.mailroom.imap.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Development aid (not a test): prints {@code * n FETCH (RFC822.SIZE .. BODYSTRUCTURE .. BODY ..
 * ENVELOPE ..)} for every file of a directory in name order, in the form Dovecot answers
 * {@code FETCH 1:* (RFC822.SIZE BODYSTRUCTURE BODY ENVELOPE)}, to diff the two by hand.
 * Usage: {@code StructureDump DIR}.
 */
public final class StructureDump {

    public static void main(String[] args) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        OutputStream out = System.out;
        int n = 0;
        for (Path f : files) {
            MessageStructure m = MessageStructure.parse(Files.readAllBytes(f));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(("* " + (++n) + " FETCH (RFC822.SIZE " + m.size() + " BODYSTRUCTURE ").getBytes());
            b.write(m.bodyStructure());
            b.write(" BODY ".getBytes());
            b.write(m.body());
            b.write(" ENVELOPE ".getBytes());
            b.write(m.envelopeImap());
            b.write(")\r\n".getBytes());
            out.write(b.toByteArray());
        }
        out.flush();
    }
}
