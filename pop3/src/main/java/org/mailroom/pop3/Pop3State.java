package org.mailroom.pop3;

/** The states of a POP3 session (RFC 1939 3). */
public enum Pop3State {
    /** Before a successful login: USER/PASS, AUTH, STLS, CAPA, QUIT. */
    AUTHORIZATION,
    /** Logged in, the maildrop locked and its snapshot taken. */
    TRANSACTION,
    /** After QUIT in TRANSACTION: the marked messages are being expunged; no more commands. */
    UPDATE
}
