/**
 * IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051) access to the shared mail store: not written yet
 * (issue "IMAP"). The module exists so that the dependency direction of DESIGN.md section 1 is in
 * place: {@code imap} uses {@code server-core} only, and the daemon wires it like {@code pop3}.
 */
package org.mailroom.imap;
