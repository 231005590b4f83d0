package org.mailroom.core.sasl;

/**
 * A client's SASL exchange could not be decoded. The message is short, in English and safe to
 * send to the client (it never contains the credentials), e.g. in {@code 501 5.5.2 <message>} or
 * {@code tag BAD <message>}.
 */
public final class SaslException extends Exception {
    private static final long serialVersionUID = 1L;

    public SaslException(String message) {
        super(message);
    }
}
