package org.mailroom.smtp.wire;

/**
 * A protocol error with the complete reply the peer gets for it (mox's {@code xsmtpUserErrorf}).
 * Thrown by parsers and handlers, caught once per command by the session, which writes
 * {@link #reply()}. Not an error of the server: it carries no stack trace.
 */
public final class SmtpReplyException extends RuntimeException {
    private final transient Reply reply;

    public SmtpReplyException(Reply reply) {
        super(reply.summary(), null, false, false);
        this.reply = reply;
    }

    public SmtpReplyException(int code, EnhancedStatus status, String text) {
        this(new Reply(code, status, text));
    }

    public Reply reply() { return reply; }
}
