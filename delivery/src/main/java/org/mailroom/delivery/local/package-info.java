/**
 * The local delivery agent: puts a message into accounts' INBOXes through the mail store, with
 * the {@code Return-Path:} field that final delivery adds (RFC 5321 4.4). Used by the SMTP sink for
 * all-local mail (no queue hop) and by the queue manager for local recipients of queued mail.
 *
 * <p>{@link org.mailroom.delivery.local.ForwardTargets} delivers the {@code |command} and
 * {@code /file} targets of a Unix user's {@code ~/.forward} ({@code local.forwardPrograms}, issue
 * 8) as that user, through setpriv, with a clean environment, a time limit and sysexits.h
 * outcomes; only from the queue, never before the 250. Not done: commands in the aliases file.
 */
package org.mailroom.delivery.local;
