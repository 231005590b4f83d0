/**
 * Local submission: {@code <data>/run/submit.sock}, the UNIX domain socket {@code sendmail} hands
 * messages to. The socket file is 0666 in the 0711 {@code run/} directory (control.sock beside it
 * stays 0600); the submitting Unix user comes from {@code SO_PEERCRED}, never from the client.
 *
 * <p>Protocol, one message per connection (UTF-8 header block, LF line ends, each line at most
 * 2 KiB; at most {@code smtp.maxRecipients} recipients; at most {@code smtp.maxMessageSize} octets):
 * <pre>
 * C: submit 1
 * C: sender alice@example.org        optional (-f); "sender &lt;&gt;" for the null sender;
 *                                     absent: &lt;unix user&gt;@&lt;myorigin&gt;
 * C: fullname Alice Example          optional (-F): display name of an added From:
 * C: rcpt bob@example.net            one per recipient (for -t the client took them from the header)
 * C: size 1234                       octets of message that follow
 * C:                                 empty line
 * C: &lt;1234 octets: the message, LF line ends, no dot-stuffing&gt;
 * S: OK 4XJ2K9ABCD                   or: ERR 550 5.1.1 &lt;text&gt;
 * (server closes)
 * </pre>
 * {@code OK} is sent only after {@link org.mailroom.core.spi.MessageSink#accept} returned 250: the
 * message is then in the queue or the mailboxes. A recipient or sender without a domain gets
 * {@code @myorigin}. Local submissions may relay (they come from a user of this machine); a
 * {@code sender} from a user who is not trusted ({@link org.mailroom.daemon.submit.TrustedUsers})
 * is taken with an {@code X-Authentication-Warning:} field, as sendmail does (docs/sendmail.md).
 */
package org.mailroom.daemon.submit;
