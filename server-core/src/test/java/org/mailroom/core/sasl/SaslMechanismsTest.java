package org.mailroom.core.sasl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AccountStore;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.account.ScramCredentials;
import org.mailroom.core.sasl.SaslServer.Challenge;
import org.mailroom.core.sasl.SaslServer.Failure;
import org.mailroom.core.sasl.SaslServer.Success;
import org.slf4j.LoggerFactory;

class SaslMechanismsTest {
    /** RFC 7677 3: the server's part of the example nonce. */
    private static final String RFC7677_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

    /** Passwords in the clear and SCRAM keys derived from them: enough for the mechanisms. */
    static final class MemoryStore implements AccountStore {
        final Map<String, String> passwords = new HashMap<>();
        final Map<String, ScramCredentials> scram = new HashMap<>();

        @Override public Optional<Account> find(String a) { return passwords.containsKey(a) ? Optional.of(new Account(a)) : Optional.empty(); }
        @Override public Optional<Account> authenticate(String a, char[] pw) {
            return new String(pw).equals(passwords.get(a)) ? Optional.of(new Account(a)) : Optional.empty();
        }
        @Override public Optional<ScramCredentials> scramSha256(String a) { return Optional.ofNullable(scram.get(a)); }
        @Override public List<Account> list() { return passwords.keySet().stream().map(Account::new).toList(); }
        @Override public void add(String a, char[] pw) { passwords.put(a, new String(pw)); }
        @Override public void setPassword(String a, char[] pw) { passwords.put(a, new String(pw)); }
        @Override public boolean remove(String a) { return passwords.remove(a) != null; }
    }

    MemoryStore store = new MemoryStore();
    Authenticator auth = new Authenticator(store, "example.test");
    InetAddress client;
    Logger loginLogger;
    ListAppender<ILoggingEvent> lines;

    @BeforeEach
    void setUp() throws Exception {
        client = InetAddress.getByName("192.0.2.7");
        loginLogger = (Logger) LoggerFactory.getLogger("org.mailroom.login");
        lines = new ListAppender<>();
        lines.start();
        loginLogger.addAppender(lines);
    }

    @AfterEach
    void tearDown() {
        loginLogger.detachAppender(lines);
    }

    private List<String> logged() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private static String s(SaslServer.Step step) {
        return new String(assertInstanceOf(Challenge.class, step).data(), StandardCharsets.UTF_8);
    }

    private SaslServer start(String mechanism) {
        return SaslMechanisms.standard(() -> RFC7677_SERVER_NONCE).find(mechanism).orElseThrow()
                .start(auth, "submission", client);
    }

    // ---- SCRAM-SHA-256 -------------------------------------------------------------------------

    /** RFC 7677 3: the example exchange, user "user", password "pencil", byte for byte. */
    @Test
    void scramRfc7677Example() throws Exception {
        store.scram.put("user@example.test", ScramCredentials.derive("pencil".toCharArray(),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
        SaslServer s = start("scram-sha-256");
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                s(s.step(b("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        Success ok = assertInstanceOf(Success.class, s.step(b("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", new String(ok.additionalData(), StandardCharsets.US_ASCII));
        assertEquals(new Account("user@example.test"), ok.account());
        assertEquals(List.of("user=<user@example.test>, service=submission, client=[192.0.2.7], result=ok"), logged());
    }

    @Test
    void scramWithoutInitialResponseSendsEmptyChallengeFirst() throws Exception {
        SaslServer s = start("SCRAM-SHA-256");
        assertEquals("", s(s.step(null)));
    }

    @Test
    void scramWrongProofFails() throws Exception {
        store.scram.put("user@example.test", ScramCredentials.derive("pencil".toCharArray(),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
        SaslServer s = start("SCRAM-SHA-256");
        s.step(b("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertEquals(new Failure("user"), s.step(b("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertEquals(List.of("user=<user@example.test>, service=submission, client=[192.0.2.7], result=failed"), logged());
    }

    @Test
    void scramUnknownUserLooksLikeAnyOtherAndFails() throws Exception {
        SaslServer s = start("SCRAM-SHA-256");
        String first = s(s.step(b("n,,n=nobody,r=abc")));
        assertTrue(first.matches("r=abc%hvYD.*,s=[A-Za-z0-9+/=]{24},i=4096"), first);
        // the same fake salt for the same name
        assertEquals(first, s(start("SCRAM-SHA-256").step(b("n,,n=nobody,r=abc"))));
        assertInstanceOf(Failure.class, s.step(b("c=biws,r=abc" + RFC7677_SERVER_NONCE + ",p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
    }

    @Test
    void scramRefusesProxyAuthChannelBindingAndBadSyntax() throws Exception {
        assertEquals(new Failure("user"), start("SCRAM-SHA-256").step(b("n,a=other,n=user,r=abc")));
        assertInstanceOf(Challenge.class, start("SCRAM-SHA-256").step(b("n,a=user,n=user,r=abc")));
        assertEquals(new Failure("user"), start("SCRAM-SHA-256").step(b("p=tls-unique,,n=user,r=abc")));
        assertThrows(SaslException.class, () -> start("SCRAM-SHA-256").step(b("x,,n=user,r=abc")));
        assertThrows(SaslException.class, () -> start("SCRAM-SHA-256").step(b("n,,m=ext,n=user,r=abc")));
        assertThrows(SaslException.class, () -> start("SCRAM-SHA-256").step(b("n,,n=us=er,r=abc")));
        assertEquals("a,b=c", ScramSha256.saslName("a=2Cb=3Dc"));
    }

    @Test
    void scramCredentialsRoundTripTheirStoredForm() {
        ScramCredentials c = ScramCredentials.derive("pencil".toCharArray());
        assertEquals(c, ScramCredentials.parse(c.encode()));
        assertTrue(c.encode().startsWith("SCRAM-SHA-256$4096:"), c.encode());
        assertFalse(c.toString().contains(Base64.getEncoder().encodeToString(c.storedKey())));
        assertEquals(null, ScramCredentials.parse("SCRAM-SHA-256$x:y$z:w"));
    }

    // ---- PLAIN ---------------------------------------------------------------------------------

    /** RFC 4616 4: the examples, with "tim" / "tanstaaftanstaaf". */
    @Test
    void plainRfc4616Examples() throws Exception {
        store.passwords.put("tim@example.test", "tanstaaftanstaaf");
        assertInstanceOf(Success.class, start("PLAIN").step(b("\0tim\0tanstaaftanstaaf")));
        // "Ursel" acting as "Kurt" would be proxy authentication: refused without a password check
        assertEquals(new Failure("tim"), start("PLAIN").step(b("Ursel\0tim\0tanstaaftanstaaf")));
        assertInstanceOf(Success.class, start("PLAIN").step(b("tim\0tim\0tanstaaftanstaaf")));
        assertEquals(new Failure("tim"), start("PLAIN").step(b("\0tim\0wrong")));
        assertEquals(List.of(
                "user=<tim@example.test>, service=submission, client=[192.0.2.7], result=ok",
                "user=<tim@example.test>, service=submission, client=[192.0.2.7], result=failed (authorization identity refused)",
                "user=<tim@example.test>, service=submission, client=[192.0.2.7], result=ok",
                "user=<tim@example.test>, service=submission, client=[192.0.2.7], result=failed"), logged());
    }

    @Test
    void plainWithoutInitialResponseSendsEmptyChallenge() throws Exception {
        SaslServer s = start("PLAIN");
        assertArrayEquals(new byte[0], assertInstanceOf(Challenge.class, s.step(null)).data());
        assertThrows(SaslException.class, () -> s.step(b("no nuls")));
    }

    // ---- LOGIN ---------------------------------------------------------------------------------

    @Test
    void loginAsksUsernameThenPassword() throws Exception {
        store.passwords.put("alice@example.test", "secret");
        SaslServer s = start("LOGIN");
        assertEquals("Username:", s(s.step(null)));
        assertEquals("Password:", s(s.step(b("alice"))));
        assertEquals(new Account("alice@example.test"), assertInstanceOf(Success.class, s.step(b("secret"))).account());
    }

    @Test
    void loginTakesTheUserNameAsInitialResponse() throws Exception {
        store.passwords.put("alice@example.test", "secret");
        SaslServer s = start("LOGIN");
        assertEquals("Password:", s(s.step(b("alice@example.test"))));
        assertEquals(new Failure("alice@example.test"), s.step(b("wrong")));
        assertThrows(SaslException.class, () -> start("LOGIN").step(b("")));
    }

    @Test
    void mechanismsAreFoundCaseInsensitivelyAndPlaintextOnesCanBeLeftOut() {
        SaslMechanisms m = SaslMechanisms.standard();
        assertEquals("SCRAM-SHA-256 PLAIN LOGIN", m.names(true));
        assertEquals("SCRAM-SHA-256", m.names(false));
        assertTrue(m.find("login").isPresent());
        assertFalse(m.find("CRAM-MD5").isPresent());
    }
}
