package org.mailroom.core.sasl;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mailroom.core.account.Authenticator;

/**
 * LOGIN (draft-murchison-sasl-login-00): the server asks {@code Username:}, then
 * {@code Password:}; the client answers each with the bare value. Obsolete but still what Outlook
 * and many devices send first. An initial response, when given, is the user name (RFC 4954 4
 * allows it; Postfix and Dovecot accept it).
 *
 * <p>XXX No authorization identity: LOGIN has none, so proxy authentication cannot arise.
 */
public final class Login implements SaslMechanism {
    private static final int MAX_FIELD = 1024;
    static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() { return "LOGIN"; }

    @Override
    public boolean plaintext() { return true; }

    @Override
    public SaslServer start(Authenticator authenticator, String service, InetAddress client) {
        return new SaslServer() {
            private String user;
            private boolean done;

            @Override
            public Step step(byte[] response) throws SaslException {
                if (done) throw new IllegalStateException("LOGIN exchange is over");
                if (user == null) {
                    if (response == null) return new Challenge(USERNAME.clone());
                    user = new String(SaslPlain.utf8Chars(field(response, "user name"), 0, response.length));
                    if (user.isEmpty()) throw new SaslException("empty user name");
                    return new Challenge(PASSWORD.clone());
                }
                done = true;
                byte[] pw = field(response == null ? new byte[0] : response, "password");
                try {
                    if (pw.length == 0) throw new SaslException("empty password");
                    char[] password = SaslPlain.utf8Chars(pw, 0, pw.length);
                    return Plain.check(authenticator, service, client, new Credentials("", user, password));
                } finally {
                    Arrays.fill(pw, (byte) 0);
                }
            }
        };
    }

    private static byte[] field(byte[] b, String what) throws SaslException {
        if (b.length > MAX_FIELD) throw new SaslException(what + " too long");
        for (byte x : b) if (x == 0) throw new SaslException("NUL in " + what);
        return b;
    }
}
