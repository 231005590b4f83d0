/**
 * The local delivery agent: puts a message into accounts' INBOXes through the mail store, with
 * the {@code Return-Path:} field that final delivery adds (RFC 5321 4.4). Used by the SMTP sink for
 * all-local mail (no queue hop) and by the queue manager for local recipients of queued mail.
 */
package org.mailroom.delivery.local;
