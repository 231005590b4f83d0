/**
 * Everything that happens to a message after an SMTP server (or {@code sendmail}) accepted it:
 * routing ({@code route}), local delivery into the store ({@code local}), and later the queue,
 * remote delivery and DSNs. {@link org.mailroom.delivery.DeliverySink} is the one entry point: it
 * implements {@link org.mailroom.core.spi.MessageSink}, adds the trace header fields (RFC 5321 4.4)
 * and answers 250 only when the message is durable.
 */
package org.mailroom.delivery;
