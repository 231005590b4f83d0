package org.mailroom.pop3;

/** Extended response codes sent in brackets after {@code -ERR} (RFC 2449 8, RFC 3206). */
public enum RespCode {
    /** RFC 2449 8.1.1: the maildrop is locked by another session. */
    IN_USE("IN-USE"),
    /** RFC 3206 4: the credentials were rejected (announced as AUTH-RESP-CODE). */
    AUTH("AUTH"),
    /** RFC 3206 5: a temporary server problem; trying again later may work. */
    SYS_TEMP("SYS/TEMP"),
    /** RFC 3206 5: a permanent server problem. */
    SYS_PERM("SYS/PERM");

    private final String wire;

    RespCode(String wire) {
        this.wire = wire;
    }

    public String wire() { return wire; }
}
