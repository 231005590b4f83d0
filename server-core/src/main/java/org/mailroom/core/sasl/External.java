package org.mailroom.core.sasl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AccountStore;
import org.mailroom.core.account.Authenticator;

/**
 * SASL EXTERNAL (RFC 4422 appendix A): the identity comes from outside SASL, here the client's
 * verified TLS certificate, mapped to a mail address by the protocol ({@code ClientCertificates}).
 * Not in {@link SaslMechanisms}: a session offers it only when it holds such an identity.
 *
 * <ul>
 *   <li>No initial response: one empty challenge, then the client's response (A.1).</li>
 *   <li>The response is the authorization identity: empty means "the identity of the
 *       certificate"; otherwise it must be that same address (no proxy authorization).</li>
 *   <li>The address must be an account of the store, else {@link SaslServer.Failure}.</li>
 * </ul>
 */
public final class External {
    /** The registered name. */
    public static final String NAME = "EXTERNAL";

    private External() {}

    /**
     * An exchange for the certificate identity {@code mailbox}; its end writes the one login line
     * through {@link Authenticator#record}.
     *
     * @param service {@code submission} ... for the log line
     * @param client  the peer's address, for the log line (null: unknown)
     */
    public static SaslServer start(Authenticator authenticator, String service, InetAddress client, String mailbox) {
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(mailbox, "mailbox");
        AccountStore store = authenticator.store();
        return new SaslServer() {
            @Override
            public Step step(byte[] response) {
                if (response == null) return new Challenge(new byte[0]); // RFC 4422 A.1 / 5
                String authzid = new String(response, StandardCharsets.UTF_8);
                if (!authzid.isEmpty()
                        && !AccountStore.normalize(authzid).equals(AccountStore.normalize(mailbox))) {
                    authenticator.record(service, client, mailbox, Optional.empty(), "failed (authorization identity)");
                    return new Failure(mailbox);
                }
                Optional<Account> account;
                try {
                    account = store.find(mailbox);
                } catch (IOException e) {
                    authenticator.record(service, client, mailbox, Optional.empty(), "error (" + e.getMessage() + ")");
                    throw new UncheckedIOException(e);
                }
                authenticator.record(service, client, mailbox, account, "failed (no such account)");
                return account.<Step>map(a -> new Success(a, null)).orElseGet(() -> new Failure(mailbox));
            }
        };
    }
}
