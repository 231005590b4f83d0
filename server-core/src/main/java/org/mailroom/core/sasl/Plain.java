package org.mailroom.core.sasl;

import java.net.InetAddress;
import java.util.Optional;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.Authenticator;

/**
 * PLAIN (RFC 4616): one client message {@code [authzid] NUL authcid NUL passwd}, decoded by
 * {@link SaslPlain}. Without an initial response the server's first challenge is empty (RFC 4616
 * 2: "the server sends an empty challenge").
 */
public final class Plain implements SaslMechanism {

    @Override
    public String name() { return "PLAIN"; }

    @Override
    public boolean plaintext() { return true; }

    @Override
    public SaslServer start(Authenticator authenticator, String service, InetAddress client) {
        return new SaslServer() {
            private boolean done;

            @Override
            public Step step(byte[] response) throws SaslException {
                if (done) throw new IllegalStateException("PLAIN exchange is over");
                if (response == null) return new Challenge(new byte[0]);
                done = true;
                Credentials c = SaslPlain.decode(response);
                return check(authenticator, service, client, c);
            }
        };
    }

    /**
     * Checks a user name and password and the authorization identity (shared with LOGIN). RFC
     * 4616 2: the server may refuse an authzid; we act only as oneself, so an authzid other than
     * the authcid (after qualification with the default domain) fails without the password being
     * checked.
     */
    static SaslServer.Step check(Authenticator authenticator, String service, InetAddress client, Credentials c) {
        String authzid = c.authzid();
        if (authzid != null && !authzid.isEmpty()
                && !authenticator.qualify(authzid).equals(authenticator.qualify(c.authcid()))) {
            c.wipe();
            authenticator.record(service, client, c.authcid(), Optional.empty(), "failed (authorization identity refused)");
            return new SaslServer.Failure(c.authcid());
        }
        Optional<Account> a = authenticator.authenticate(service, client, c.authcid(), c.password());
        return a.<SaslServer.Step>map(acc -> new SaslServer.Success(acc, null))
                .orElseGet(() -> new SaslServer.Failure(c.authcid()));
    }
}
