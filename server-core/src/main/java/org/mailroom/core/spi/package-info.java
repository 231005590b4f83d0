/**
 * How the SMTP server hands mail to delivery without knowing it: {@link org.mailroom.core.spi.MessageSink}
 * is defined here, implemented by the {@code delivery} module and wired by the daemon. The SMTP
 * session asks it about each recipient at RCPT time and gives it the message at the end of DATA;
 * the sink answers in SMTP terms ({@link org.mailroom.core.spi.Outcome}) because SMTP is its only
 * caller besides the {@code sendmail} command.
 */
package org.mailroom.core.spi;
