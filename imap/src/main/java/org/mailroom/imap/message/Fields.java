package org.mailroom.imap.message;

/**
 * The header fields this package looks at, first instance of each (RFC 5322 3.6 allows one of most;
 * Dovecot also takes the first). Values are raw octets held one char per octet (ISO-8859-1) with
 * leading white space dropped; folds stay as CRLF (RFC 5322 2.2.3 unfolding is left to the writer,
 * which must know whether a value was folded to answer as Dovecot does); encoded words (RFC 2047)
 * stay as they are.
 */
final class Fields {

    static final int DATE = 0;
    static final int SUBJECT = 1;
    static final int FROM = 2;
    static final int SENDER = 3;
    static final int REPLY_TO = 4;
    static final int TO = 5;
    static final int CC = 6;
    static final int BCC = 7;
    static final int IN_REPLY_TO = 8;
    static final int MESSAGE_ID = 9;
    /** Fields before this index make up the ENVELOPE. */
    static final int ENVELOPE_COUNT = 10;
    static final int CONTENT_TYPE = 10;
    static final int CONTENT_TRANSFER_ENCODING = 11;
    static final int CONTENT_ID = 12;
    static final int CONTENT_DESCRIPTION = 13;
    static final int CONTENT_DISPOSITION = 14;
    static final int CONTENT_LANGUAGE = 15;
    static final int CONTENT_LOCATION = 16;
    static final int CONTENT_MD5 = 17;
    static final int COUNT = 18;

    private static final String[] NAMES = {
        "date", "subject", "from", "sender", "reply-to", "to", "cc", "bcc", "in-reply-to", "message-id",
        "content-type", "content-transfer-encoding", "content-id", "content-description",
        "content-disposition", "content-language", "content-location", "content-md5",
    };

    private Fields() {}

    /** The index of the field named by {@code name[0..len)} (any case), or -1. */
    static int index(byte[] name, int len) {
        return index(name, 0, len);
    }

    /** The index of the field named by {@code b[off, off + len)} (any case), or -1. */
    static int index(byte[] b, int off, int len) {
        if (len < 2 || len > 25) {
            return -1;
        }
        int first = b[off] | 0x20;
        for (int i : BY_LENGTH[len]) {
            String n = NAMES[i];
            if (n.charAt(0) == first && equalsIgnoreCase(n, b, off, len)) {
                return i;
            }
        }
        return -1;
    }

    /** The indexes of the names of each length: a header has many fields, most of them none of these. */
    private static final int[][] BY_LENGTH = new int[26][];

    static {
        for (int len = 0; len < BY_LENGTH.length; len++) {
            int l = len;
            BY_LENGTH[len] = java.util.stream.IntStream.range(0, COUNT).filter(i -> NAMES[i].length() == l).toArray();
        }
    }

    private static boolean equalsIgnoreCase(String lower, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
