package org.mailroom.core.store;

import java.io.IOException;
import java.io.InputStream;

/**
 * The octets of one message as the store keeps them: header and body with LF line ends (the
 * Maildir convention that mutt and other tools expect). Readable any number of times.
 */
public interface MessageContent {

    /** Octets in this (LF) form. */
    long size();

    /** Lines, i.e. LF octets; the CRLF size on the wire is {@code size() + lines()}. */
    long lines();

    InputStream open() throws IOException;

    /** This content preceded by {@code header} (LF line ends, e.g. Return-Path and Received). */
    default MessageContent prepend(byte[] header) {
        return new PrefixedContent(header, this);
    }

    /** Releases memory or temporary files behind the content. */
    default void discard() {}
}
