package org.mailroom.imap.server;

/**
 * The connection states of RFC 9051 3. PREAUTH is never offered, so every connection starts in
 * {@link #NOT_AUTHENTICATED}; {@link #LOGOUT} is entered by LOGOUT, BYE or autologout and nothing
 * is executed in it any more.
 */
public enum ImapState {
    NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT
}
