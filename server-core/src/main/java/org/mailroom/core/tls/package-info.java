/**
 * TLS for every listener: certificates from PEM files (certificate chain + RSA or EC key), or a
 * self-signed certificate made with Bouncy Castle on first start; SslHandlers for implicit TLS and
 * for STARTTLS/STLS, where the first write (the "go ahead" reply) passes in the clear.
 */
package org.mailroom.core.tls;
