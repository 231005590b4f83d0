package org.mailroom.pop3;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.sasl.Credentials;
import org.mailroom.core.sasl.SaslException;
import org.mailroom.core.sasl.SaslPlain;
import org.mailroom.core.store.MailStore;
import org.mailroom.core.store.Mailbox;
import org.mailroom.pop3.Pop3Request.Auth;
import org.mailroom.pop3.Pop3Request.Pass;
import org.mailroom.pop3.Pop3Request.User;

/**
 * The AUTHORIZATION state (RFC 1939 4): CAPA, STLS, USER/PASS and AUTH PLAIN, and on success the
 * move to TRANSACTION: take the maildrop lock, open the INBOX and take its snapshot. The table has
 * already checked the state and the plaintext-login policy.
 */
final class AuthorizationHandler {
    private final Pop3Session session;
    private final MailStore store;
    private final Authenticator authenticator;
    private final MaildropLocks locks;
    private final AuthThrottle throttle;
    /** Null when STLS is not offered (no certificate, or implicit TLS). */
    private final Function<Channel, SslHandler> startTls;
    /** The name from USER, until PASS (RFC 1939 7). */
    private String user;

    AuthorizationHandler(Pop3Session session, Pop3Initializer.Services services, Function<Channel, SslHandler> startTls) {
        this.session = session;
        this.store = services.store();
        this.authenticator = services.authenticator();
        this.locks = services.locks();
        this.throttle = services.throttle();
        this.startTls = startTls;
    }

    /**
     * RFC 2449 5. The list depends only on the connection (TLS, loopback), never on the login, so
     * what AUTHORIZATION announces is announced after login too, as section 5 requires.
     */
    Reply capa() {
        List<String> caps = new ArrayList<>();
        caps.add("TOP");                       // RFC 2449 6.1
        caps.add("UIDL");                      // RFC 2449 6.7
        caps.add("RESP-CODES");                // RFC 2449 6.4
        caps.add("AUTH-RESP-CODE");            // RFC 3206 6
        caps.add("PIPELINING");                // RFC 2449 6.6
        if (session.plaintextLoginAllowed()) {
            caps.add("USER");                  // RFC 2449 6.8
            caps.add("SASL PLAIN");            // RFC 2449 6.3, RFC 5034 6
        }
        if (startTls != null && !session.tlsInstalled()) caps.add("STLS"); // RFC 2595 4
        caps.add("IMPLEMENTATION Mailroom");   // RFC 2449 6.9
        return Reply.ok("Capability list follows", caps);
    }

    /** RFC 2595 4. */
    Reply stls() throws Pop3Error {
        if (startTls == null) throw new Pop3Error("STLS not available");
        if (session.tlsInstalled()) throw new Pop3Error("TLS already active");
        user = null;
        session.startTls(startTls.apply(session.channel()));
        return Reply.ok("Begin TLS negotiation");
    }

    Reply user(User u) {
        user = u.name();
        return Reply.ok("");
    }

    Reply pass(Pass p) throws Pop3Error {
        // RFC 1939 7: PASS only right after a successful USER.
        if (user == null) throw new Pop3Error("No user name given");
        String login = user;
        user = null;
        return login(login, p.password().toCharArray(), null);
    }

    /** RFC 5034 4, PLAIN only. */
    Reply auth(Auth a) throws Pop3Error {
        user = null;
        if (!a.mechanism().equalsIgnoreCase("PLAIN")) throw new Pop3Error("Unsupported authentication mechanism");
        if (a.initialResponse() == null) {
            session.expectContinuation(this::plainResponse);
            return Reply.challenge(""); // PLAIN has no server challenge
        }
        return plainResponse(a.initialResponse());
    }

    private Reply plainResponse(String response) throws Pop3Error {
        // RFC 5034 4: "*" cancels the exchange; "=" is an empty initial response.
        if (response.equals("*")) throw new Pop3Error("Authentication cancelled");
        Credentials c;
        try {
            c = SaslPlain.decode(response.equals("=") ? "" : response);
        } catch (SaslException e) {
            throw new Pop3Error(e.getMessage());
        }
        return login(c.authcid(), c.password(), c.authzid());
    }

    /**
     * Checks the password on the executor, then takes the lock and opens the maildrop. A failure
     * is answered after the delay the {@link AuthThrottle} asks for; a locked-out address gets
     * {@code -ERR [SYS/TEMP]} (RFC 3206 5: try again later) before the password is looked at.
     */
    private Reply login(String login, char[] password, String authzid) throws Pop3Error {
        InetAddress client = session.clientAddress();
        if (client != null && throttle.lockedOut(client)) {
            Arrays.fill(password, '\0');
            throw new Pop3Error(RespCode.SYS_TEMP, "Too many failed logins, try again later");
        }
        return session.blocking(() -> authenticator.authenticate("pop3", client, login, password), (account, error) -> {
            Arrays.fill(password, '\0'); // the authenticator wipes it too, unless it never ran
            session.requireNoError(error, "check the password");
            Optional<Account> a = account;
            // RFC 3206 4: [AUTH] says the credentials were wrong, not the server.
            if (a.isEmpty()) {
                return session.after(throttle.failed(client, login), Reply.err(RespCode.AUTH, "Authentication failed."));
            }
            // RFC 4616 2: acting as another user (authzid) is not supported; naming oneself is fine.
            if (authzid != null && !authzid.isEmpty() && !authzid.equalsIgnoreCase(login)
                    && !authzid.equalsIgnoreCase(a.get().address())) {
                return session.after(throttle.failed(client, login),
                        Reply.err(RespCode.AUTH, "Not authorized to act as another user"));
            }
            throttle.succeeded(client, a.get().address());
            return open(a.get());
        });
    }

    private Reply open(Account a) throws Pop3Error {
        // RFC 1939 8 (exclusive-access lock), RFC 2449 8.1.1 [IN-USE].
        if (!locks.tryLock(a.address())) throw new Pop3Error(RespCode.IN_USE, "Mailbox is locked by another POP3 session");
        session.locked(a);
        return session.blocking(() -> openMaildrop(a), (maildrop, error) -> {
            if (error != null) {
                locks.unlock(a.address());
                session.locked(null);
                session.requireNoError(error, "open the mailbox");
            }
            session.enterTransaction(maildrop);
            return Reply.ok("Logged in.");
        });
    }

    private Maildrop openMaildrop(Account a) throws IOException {
        Mailbox m = store.openInbox(a.address());
        try {
            return Maildrop.of(m);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }
}
