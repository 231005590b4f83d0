/**
 * SASL mechanisms shared by SMTP AUTH, IMAP AUTHENTICATE and POP3 AUTH. For now PLAIN (RFC 4616);
 * LOGIN and SCRAM-SHA-256 follow with submission.
 */
package org.mailroom.core.sasl;
