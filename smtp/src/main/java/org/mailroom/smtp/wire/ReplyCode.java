package org.mailroom.smtp.wire;

/**
 * SMTP reply codes (RFC 5321 4.2.2, 4.2.3). Plain ints, because a reply code is a number on the
 * wire and the client side compares classes ({@code code / 100}); the constant names carry the
 * number so that {@code grep 503} finds every use.
 */
public final class ReplyCode {
    private ReplyCode() {}

    public static final int C211_SYSTEM_STATUS = 211;
    public static final int C214_HELP = 214;
    public static final int C220_READY = 220;
    public static final int C221_CLOSING = 221;
    /** RFC 4954 6: authentication succeeded. */
    public static final int C235_AUTH_SUCCEEDED = 235;
    public static final int C250_OK = 250;
    /** RFC 5321 3.5.3: cannot verify, but will accept and attempt delivery. */
    public static final int C252_CANNOT_VRFY = 252;
    /** RFC 4954 4: a SASL challenge, base64, follows. */
    public static final int C334_AUTH_CHALLENGE = 334;
    public static final int C354_START_DATA = 354;
    public static final int C421_SERVICE_NOT_AVAILABLE = 421;
    public static final int C450_MAILBOX_UNAVAILABLE = 450;
    public static final int C451_LOCAL_ERROR = 451;
    public static final int C452_INSUFFICIENT_STORAGE = 452;
    /** RFC 3207 4: TLS not available due to a temporary reason. */
    public static final int C454_TLS_NOT_AVAILABLE = 454;
    /** RFC 4954 6: temporary authentication failure. */
    public static final int C454_AUTH_TEMPORARY_FAILURE = 454;
    public static final int C455_PARAMS_NOT_ACCOMMODATED = 455;
    public static final int C500_SYNTAX_ERROR = 500;
    public static final int C501_SYNTAX_ERROR_PARAMS = 501;
    public static final int C502_NOT_IMPLEMENTED = 502;
    public static final int C503_BAD_SEQUENCE = 503;
    public static final int C504_PARAM_NOT_IMPLEMENTED = 504;
    /** RFC 4954 6: authentication required. */
    public static final int C530_AUTH_REQUIRED = 530;
    /** RFC 4954 6: authentication credentials invalid. */
    public static final int C535_AUTH_CREDENTIALS_INVALID = 535;
    /** RFC 4954 6: encryption required for the requested mechanism. */
    public static final int C538_ENCRYPTION_REQUIRED = 538;
    public static final int C550_MAILBOX_UNAVAILABLE = 550;
    public static final int C551_USER_NOT_LOCAL = 551;
    public static final int C552_EXCEEDED_STORAGE = 552;
    public static final int C553_MAILBOX_NAME_NOT_ALLOWED = 553;
    public static final int C554_TRANSACTION_FAILED = 554;
    public static final int C555_PARAMS_NOT_RECOGNIZED = 555;

    /** True for 2yz (RFC 5321 4.2.1: positive completion). */
    public static boolean isPositive(int code) { return code / 100 == 2; }

    /** True for 4yz (transient negative: try again later). */
    public static boolean isTransient(int code) { return code / 100 == 4; }

    /** True for 5yz (permanent negative). */
    public static boolean isPermanent(int code) { return code / 100 == 5; }
}
