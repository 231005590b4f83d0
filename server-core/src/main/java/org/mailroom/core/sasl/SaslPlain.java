package org.mailroom.core.sasl;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The PLAIN mechanism (RFC 4616): one client message {@code [authzid] NUL authcid NUL passwd},
 * base64-encoded on the wire by SMTP AUTH (RFC 4954 4), IMAP AUTHENTICATE (RFC 9051 6.2.2) and
 * POP3 AUTH (RFC 5034 4). The session handles the protocol parts (the empty challenge, the
 * {@code *} cancel, the TLS requirement); this class only decodes the message.
 *
 * <p>XXX Not done: SASLprep (RFC 4013) of the names and password. Names are compared after
 * lower-casing by the account store and passwords as their UTF-8 bytes, as Dovecot does.
 */
public final class SaslPlain {
    /** Longer input cannot be a sane PLAIN message (RFC 4616 2: at most 255 octets per field). */
    private static final int MAX_BASE64_LENGTH = 4096;

    private SaslPlain() {}

    /**
     * Decodes one base64 client response.
     *
     * @param base64 the response without its line ending
     * @return the credentials; the caller wipes the password
     * @throws SaslException on bad base64, a number of NULs other than two, an empty authcid or
     *                       password (RFC 4616 2: both are 1*SAFE) or invalid UTF-8
     */
    public static Credentials decode(String base64) throws SaslException {
        if (base64 == null || base64.isEmpty()) throw new SaslException("empty PLAIN response");
        if (base64.length() > MAX_BASE64_LENGTH) throw new SaslException("PLAIN response too long");
        byte[] msg;
        try {
            msg = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new SaslException("invalid base64 in PLAIN response");
        }
        return decode(msg);
    }

    /**
     * Decodes one client message, already base64-decoded.
     *
     * @param msg wiped before this returns
     * @return the credentials; the caller wipes the password
     * @throws SaslException as {@link #decode(String)}, but never for base64
     */
    public static Credentials decode(byte[] msg) throws SaslException {
        try {
            // RFC 4616 2: message = [authzid] UTF8NUL authcid UTF8NUL passwd
            int first = indexOfNul(msg, 0);
            int second = first < 0 ? -1 : indexOfNul(msg, first + 1);
            if (second < 0 || indexOfNul(msg, second + 1) >= 0) {
                throw new SaslException("PLAIN response needs authzid NUL authcid NUL password");
            }
            if (second == first + 1) throw new SaslException("empty authentication identity");
            if (second == msg.length - 1) throw new SaslException("empty password");
            String authzid = utf8(msg, 0, first);
            String authcid = utf8(msg, first + 1, second);
            char[] password = utf8Chars(msg, second + 1, msg.length);
            return new Credentials(authzid, authcid, password);
        } finally {
            Arrays.fill(msg, (byte) 0);
        }
    }

    private static int indexOfNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == 0) return i;
        return -1;
    }

    private static String utf8(byte[] b, int from, int to) throws SaslException {
        char[] c = utf8Chars(b, from, to);
        return new String(c);
    }

    /** Strict UTF-8 (RFC 4616 2 requires it) into a char array nothing else keeps a copy of. */
    static char[] utf8Chars(byte[] b, int from, int to) throws SaslException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer cb;
        try {
            cb = dec.decode(ByteBuffer.wrap(b, from, to - from));
        } catch (CharacterCodingException e) {
            throw new SaslException("response is not valid UTF-8");
        }
        char[] out = new char[cb.remaining()];
        cb.get(out);
        if (cb.hasArray()) Arrays.fill(cb.array(), '\0');
        return out;
    }
}
