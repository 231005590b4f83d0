/**
 * The network kernel and the shared services every protocol uses: listeners and framing
 * ({@code net}, {@code frame}), TLS ({@code tls}), SASL ({@code sasl}), accounts ({@code account}),
 * the mail store ({@code store}), the blocking executor ({@code exec}) and the interfaces through
 * which SMTP hands messages to delivery ({@code spi}). Depends on {@code config} only.
 */
package org.mailroom.core;
