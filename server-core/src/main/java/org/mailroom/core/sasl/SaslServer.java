package org.mailroom.core.sasl;

import org.mailroom.core.account.Account;

/**
 * The server side of one SASL exchange (RFC 4422 3): a small state machine that takes the
 * client's responses, already base64-decoded by the protocol, and answers with the next step.
 *
 * <p>Call order: {@link #step} once with the initial response (RFC 4422 3.3; {@code null} when the
 * client sent none, an empty array for an empty one), then once per client response, until it
 * returns {@link Success} or {@link Failure}, or throws. After that the object is spent. The
 * protocol owns everything on the wire: base64, the {@code *} cancellation (RFC 4422 3.5), TLS
 * requirements, throttling and the replies.
 *
 * <p>{@link #step} may block (it checks passwords, reads the account store): call it from the
 * blocking executor, one step at a time. Not thread-safe.
 */
public interface SaslServer {

    /** What happens next. */
    sealed interface Step permits Challenge, Success, Failure {}

    /** Send {@code data} (possibly empty) as the next challenge and wait for the client's response. */
    record Challenge(byte[] data) implements Step {}

    /**
     * Authenticated as {@code account}. {@code additionalData} (SCRAM's server-final message, RFC
     * 5802 3) is null or must reach the client before the success reply: protocols that cannot
     * carry it in that reply (SMTP, RFC 4954 4) send it as one more challenge, expect an empty
     * response, then answer success.
     */
    record Success(Account account, byte[] additionalData) implements Step {}

    /**
     * Wrong credentials, an unknown account, or an authorization identity other than the
     * authentication identity (proxy authentication is not supported, RFC 4616 2).
     *
     * @param login the authentication identity that was tried (for throttling), or null
     */
    record Failure(String login) implements Step {}

    /**
     * @param response the client's response, decoded; null only for an absent initial response
     * @throws SaslException the response is malformed (bad syntax, not the credentials): the
     *                       protocol answers with its syntax error and the exchange ends
     */
    Step step(byte[] response) throws SaslException;
}
