package org.mailroom.core.sasl;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.ScramCredentials;

/**
 * SCRAM-SHA-256 (RFC 7677, the SCRAM framework of RFC 5802) without channel binding: the
 * password never crosses the connection and the server proves it knows the account's keys.
 *
 * <pre>
 * C: n,,n=user,r=&lt;client nonce&gt;                          client-first (RFC 5802 7)
 * S: r=&lt;client nonce&gt;&lt;server nonce&gt;,s=&lt;salt&gt;,i=4096     server-first
 * C: c=biws,r=&lt;nonce&gt;,p=&lt;ClientProof&gt;                  client-final
 * S: v=&lt;ServerSignature&gt;                               server-final (additional data with success)
 * </pre>
 *
 * The proof is checked as RFC 5802 3 says: {@code ClientKey = ClientProof XOR
 * HMAC(StoredKey, AuthMessage)}, then {@code H(ClientKey) == StoredKey}.
 *
 * <p>An unknown account, or one whose password was set before SCRAM keys were kept, gets a
 * server-first message like any other (salt derived from the name and a per-process secret,
 * RFC 5802 5.1 suggests this) and fails at the proof, so the exchange does not tell which
 * accounts exist.
 *
 * <p>Not done: the -PLUS variant with channel binding (a client sending {@code p=} fails),
 * SASLprep of names and passwords (RFC 4013; XXX ASCII works, see {@link ScramCredentials}),
 * mandatory extensions ({@code m=}, refused as RFC 5802 5.1 requires).
 */
public final class ScramSha256 implements SaslMechanism {
    private static final int MAX_MESSAGE = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Salts for unknown accounts are stable within a process and unpredictable outside it. */
    private static final byte[] FAKE_SALT_KEY = randomBytes(32);

    private final Supplier<String> nonces;

    public ScramSha256() {
        this(() -> Base64.getEncoder().withoutPadding().encodeToString(randomBytes(18)));
    }

    /** @param nonces the server's part of each nonce: printable ASCII without ',' (tests fix it) */
    ScramSha256(Supplier<String> nonces) {
        this.nonces = nonces;
    }

    @Override
    public String name() { return "SCRAM-SHA-256"; }

    @Override
    public boolean plaintext() { return false; }

    @Override
    public SaslServer start(Authenticator authenticator, String service, InetAddress client) {
        return new Exchange(authenticator, service, client);
    }

    private final class Exchange implements SaslServer {
        private final Authenticator authenticator;
        private final String service;
        private final InetAddress client;
        private int round;
        private String gs2Header;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private String user;
        private ScramCredentials keys;
        private boolean known;

        Exchange(Authenticator authenticator, String service, InetAddress client) {
            this.authenticator = authenticator;
            this.service = service;
            this.client = client;
        }

        @Override
        public Step step(byte[] response) throws SaslException {
            if (response == null) {
                // RFC 4422 3.3 / RFC 5802 5: SCRAM is client-first; ask for the message
                if (round != 0) throw new SaslException("missing SCRAM response");
                return new Challenge(new byte[0]);
            }
            if (response.length > MAX_MESSAGE) throw new SaslException("SCRAM message too long");
            String msg = ascii(response);
            return switch (round++) {
                case 0 -> clientFirst(msg);
                case 1 -> clientFinal(msg);
                default -> throw new IllegalStateException("SCRAM exchange is over");
            };
        }

        /** RFC 5802 7: client-first-message = gs2-header client-first-message-bare. */
        private Step clientFirst(String msg) throws SaslException {
            // gs2-header = gs2-cbind-flag "," [ authzid ] ","
            int c1 = msg.indexOf(',');
            int c2 = c1 < 0 ? -1 : msg.indexOf(',', c1 + 1);
            if (c2 < 0) throw new SaslException("bad SCRAM client-first message");
            String flag = msg.substring(0, c1);
            String authzid = msg.substring(c1 + 1, c2);
            gs2Header = msg.substring(0, c2 + 1);
            clientFirstBare = msg.substring(c2 + 1);
            if (!flag.equals("n") && !flag.equals("y") && !flag.startsWith("p=")) {
                throw new SaslException("bad SCRAM channel binding flag");
            }
            if (!authzid.isEmpty() && !authzid.startsWith("a=")) throw new SaslException("bad SCRAM authzid");
            // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
            String[] attrs = clientFirstBare.split(",", -1);
            if (attrs.length < 2 || attrs[0].startsWith("m=")) {
                // RFC 5802 5.1: an unknown mandatory extension must fail the exchange
                throw new SaslException("bad SCRAM client-first message");
            }
            if (!attrs[0].startsWith("n=") || !attrs[1].startsWith("r=") || attrs[1].length() < 3) {
                throw new SaslException("bad SCRAM client-first message");
            }
            user = saslName(attrs[0].substring(2));
            if (user.isEmpty()) throw new SaslException("empty SCRAM user name");
            if (flag.startsWith("p=")) {
                // RFC 5802 7 "channel-binding-not-supported": we do not offer -PLUS
                authenticator.record(service, client, user, Optional.empty(), "failed (channel binding not supported)");
                return new Failure(user);
            }
            if (!authzid.isEmpty() && !authenticator.qualify(saslName(authzid.substring(2))).equals(authenticator.qualify(user))) {
                // RFC 5802 5.1 / RFC 4616 2: proxy authentication is not supported
                authenticator.record(service, client, user, Optional.empty(), "failed (authorization identity refused)");
                return new Failure(user);
            }
            Optional<ScramCredentials> stored = authenticator.scramSha256(user);
            known = stored.isPresent();
            keys = stored.orElseGet(() -> fakeKeys(authenticator.qualify(user)));
            nonce = attrs[1].substring(2) + nonces.get();
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(keys.salt()) + ",i=" + keys.iterations();
            return new Challenge(serverFirst.getBytes(StandardCharsets.US_ASCII));
        }

        /** RFC 5802 7: client-final-message = channel-binding "," nonce ["," extensions] "," proof. */
        private Step clientFinal(String msg) throws SaslException {
            int p = msg.lastIndexOf(",p=");
            if (p < 0) throw new SaslException("bad SCRAM client-final message");
            String withoutProof = msg.substring(0, p);
            String[] attrs = withoutProof.split(",", -1);
            if (attrs.length < 2 || !attrs[0].startsWith("c=") || !attrs[1].startsWith("r=")) {
                throw new SaslException("bad SCRAM client-final message");
            }
            byte[] proof;
            try {
                proof = Base64.getDecoder().decode(msg.substring(p + 3));
            } catch (IllegalArgumentException e) {
                throw new SaslException("bad SCRAM proof");
            }
            // RFC 5802 7: c= is base64 of the gs2 header (no channel binding data without -PLUS)
            String expectedC = Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.US_ASCII));
            boolean ok = known && attrs[0].substring(2).equals(expectedC)
                    && attrs[1].substring(2).equals(nonce) && proof.length == 32;
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] am = authMessage.getBytes(StandardCharsets.UTF_8);
            if (ok) {
                byte[] clientSignature = ScramCredentials.hmac(keys.storedKey(), am);
                byte[] clientKey = new byte[32];
                for (int i = 0; i < 32; i++) clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
                ok = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), keys.storedKey());
            }
            if (!ok) {
                authenticator.record(service, client, user, Optional.empty(), "failed");
                return new Failure(user);
            }
            Account account = new Account(authenticator.qualify(user));
            authenticator.record(service, client, user, Optional.of(account), "ok");
            byte[] serverSignature = ScramCredentials.hmac(keys.serverKey(), am);
            String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
            return new Success(account, serverFinal.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** RFC 5802 5.1: saslname, with "=2C" for ',' and "=3D" for '='; any other '=' is an error. */
    static String saslName(String s) throws SaslException {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '=') {
                b.append(c);
            } else if (s.startsWith("=2C", i)) {
                b.append(',');
                i += 2;
            } else if (s.startsWith("=3D", i)) {
                b.append('=');
                i += 2;
            } else {
                throw new SaslException("bad SCRAM user name encoding");
            }
        }
        return b.toString();
    }

    /** Keys no proof matches, with a salt that stays the same for the same name. */
    private static ScramCredentials fakeKeys(String user) {
        byte[] salt = java.util.Arrays.copyOf(
                ScramCredentials.hmac(FAKE_SALT_KEY, user.getBytes(StandardCharsets.UTF_8)), 16);
        return new ScramCredentials(ScramCredentials.DEFAULT_ITERATIONS, salt, randomBytes(32), randomBytes(32));
    }

    /** SCRAM messages are printable ASCII apart from UTF-8 in names (RFC 5802 7). */
    private static String ascii(byte[] b) throws SaslException {
        for (byte x : b) if (x == 0 || x == '\r' || x == '\n') throw new SaslException("bad octet in SCRAM message");
        return new String(SaslPlain.utf8Chars(b, 0, b.length));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
