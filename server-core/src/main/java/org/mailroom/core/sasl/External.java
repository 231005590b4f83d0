package org.mailroom.core.sasl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AccountStore;

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

    /** An exchange for the certificate identity {@code mailbox}. */
    public static SaslServer start(AccountStore store, String mailbox) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(mailbox, "mailbox");
        return new SaslServer() {
            @Override
            public Step step(byte[] response) {
                if (response == null) return new Challenge(new byte[0]); // RFC 4422 A.1 / 5
                String authzid = new String(response, StandardCharsets.UTF_8);
                if (!authzid.isEmpty()
                        && !AccountStore.normalize(authzid).equals(AccountStore.normalize(mailbox))) {
                    return new Failure(mailbox);
                }
                Optional<Account> account;
                try {
                    account = store.find(mailbox);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return account.<Step>map(a -> new Success(a, null)).orElseGet(() -> new Failure(mailbox));
            }
        };
    }
}
