package org.mailroom.delivery.remote;

import org.mailroom.smtp.wire.EnhancedStatus;

/**
 * The outcome for one recipient: the remote reply, or one the client made up for a failure that
 * produced none (then {@code code} is 4yz/5yz as the failure is temporary/permanent).
 *
 * @param address  the recipient address without brackets
 * @param code     the reply code
 * @param enhanced the RFC 3463 status, never null (derived from the code when the server sent none)
 * @param text     the reply text, lines joined with a space
 * @param status   what the queue does with the recipient
 * @param relay    {@code mx.example[192.0.2.1]:25}, or "none" when no host was reached
 */
public record RecipientResult(String address, int code, EnhancedStatus enhanced, String text, Status status,
        String relay) {

    public enum Status { SUCCESS, TEMPORARY, PERMANENT }

    public boolean isFinal() { return status != Status.TEMPORARY; }

    /** {@code 250 2.0.0 ok}, for the log's parenthesis. */
    public String summary() {
        return code + " " + enhanced + (text.isEmpty() ? "" : " " + text);
    }
}
