package org.mailroom.imap.message;

import java.util.Arrays;

/**
 * The cache encoding: unsigned LEB128 varints and strings as {@code varint(length + 1)} followed by
 * their octets ({@code 0} for null; chars are octets, ISO-8859-1). The reader checks every length
 * against what is left, so corrupt input ends in a {@link StructureFormatException}, never in a huge
 * allocation or a loop.
 */
final class Codec {

    private Codec() {}

    static final class Writer {
        private byte[] b = new byte[128];
        private int n;

        void u8(int v) {
            ensure(1);
            b[n++] = (byte) v;
        }

        void varint(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("negative: " + v);
            }
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                b[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[n++] = (byte) v;
        }

        void nstr(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            varint(s.length() + 1L);
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                b[n++] = (byte) s.charAt(i);
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(b, n);
        }

        private void ensure(int more) {
            if (n + more > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }
    }

    static final class Reader {
        private final byte[] b;
        private int p;

        Reader(byte[] b) {
            this.b = b;
        }

        int u8() throws StructureFormatException {
            if (p >= b.length) {
                throw new StructureFormatException("truncated at " + p);
            }
            return b[p++] & 0xFF;
        }

        long varint() throws StructureFormatException {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int x = u8();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new StructureFormatException("varint too long at " + p);
        }

        /** A varint that must be in {@code [0, max]}. */
        int count(int max) throws StructureFormatException {
            long v = varint();
            if (v > max) {
                throw new StructureFormatException("count " + v + " > " + max + " at " + p);
            }
            return (int) v;
        }

        String nstr() throws StructureFormatException {
            long len = varint();
            if (len == 0) {
                return null;
            }
            len--;
            if (len > b.length - p) {
                throw new StructureFormatException("string of " + len + " octets past the end at " + p);
            }
            String s = new String(b, p, (int) len, java.nio.charset.StandardCharsets.ISO_8859_1);
            p += (int) len;
            return s;
        }

        void requireEnd() throws StructureFormatException {
            if (p != b.length) {
                throw new StructureFormatException((b.length - p) + " trailing octets");
            }
        }
    }
}
