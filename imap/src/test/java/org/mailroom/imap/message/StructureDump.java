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
        if (args.length > 1) {
            // sizes of a few sections, as "name=size" per message
            for (Path f : files) {
                byte[] stored = Files.readAllBytes(f);
                MessageStructure m = MessageStructure.parse(stored);
                StringBuilder sb = new StringBuilder("* " + (++n));
                for (String spec : args[1].split(",")) {
                    String[] pk = spec.split(":");
                    int[] part = pk[0].isEmpty() ? new int[0]
                            : java.util.Arrays.stream(pk[0].split("\\.")).mapToInt(Integer::parseInt).toArray();
                    org.mailroom.imap.wire.Section sec = new org.mailroom.imap.wire.Section(part,
                            org.mailroom.imap.wire.Section.Kind.valueOf(pk[1]),
                            pk.length > 2 ? List.of(pk[2].split(" ")) : List.of());
                    byte[] b = Sections.body(m, MessageSource.of(stored), sec).toByteArray();
                    sb.append(' ').append(java.util.Arrays.hashCode(b)).append('/').append(b.length);
                }
                System.out.println(sb);
            }
            return;
        }
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
