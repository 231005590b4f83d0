/**
 * TLS for every listener: certificates from PEM files (certificate chain + RSA or EC key in
 * PKCS#1, SEC1 or PKCS#8 form, read with Bouncy Castle), or a self-signed certificate made with
 * Bouncy Castle on first start; SslHandlers for implicit TLS (RFC 8314) and for STARTTLS/STLS
 * (RFC 3207, RFC 2595), where the first write (the "go ahead" reply) passes in the clear. TLS 1.3
 * and 1.2 only (RFC 8996). {@link org.mailroom.core.tls.TlsContexts#reloadIfChanged} picks up
 * renewed files and keeps the old identity when the new pair is bad.
 * {@link org.mailroom.core.tls.ClientCertificates}: with {@code tls.clientCa}, client certificates
 * are asked for (not required), verified with PKIX (RFC 5280) after the handshake and mapped to an
 * address for SASL EXTERNAL.
 *
 * <p>Not done: SNI with several certificates, revocation checks of client certificates, OCSP
 * stapling.
 */
package org.mailroom.core.tls;
