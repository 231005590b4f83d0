/**
 * The daemon's HTTP(S) listeners (Netty's HTTP/1.1 codec, RFC 9112): mail client
 * autoconfiguration and metrics. Thunderbird's autoconfig file ({@link org.mailroom.daemon.http.Autoconfig},
 * Mozilla's "Thunderbird:Autoconfiguration:ConfigFileFormat"), Outlook's POX Autodiscover
 * ({@link org.mailroom.daemon.http.Autodiscover}, MS-OXDSCLI) and the Prometheus text format
 * ({@link org.mailroom.core.metrics.Metrics}). Routes: {@link org.mailroom.daemon.http.HttpHandler};
 * limits: {@link org.mailroom.daemon.http.HttpInitializer}. docs/autoconfig.md is the user's view.
 *
 * <p>Invariants: what clients are told is built from the live state at each request: the host name
 * ({@code autoconfig.hostname}, else {@code hostname}), the local {@code domains} and the listeners
 * bound right now ({@link org.mailroom.daemon.http.MailEndpoint}), so a switched-off listener is never
 * announced. Only addresses in local domains are answered, whether or not the account exists (the
 * answer is the same for every address of a domain, so it tells nobody which accounts exist). Request XML is parsed with DTDs refused
 * (no XXE, no entity expansion). Nothing blocking runs on the event loop: {@code /metrics}, whose
 * gauges read the queue directories, is written on the blocking executor.
 *
 * <p>Not done: HTTP/2, TLS on the metrics listener, authentication of {@code /metrics} (bind it to
 * loopback or a private address), the SOAP and JSON Autodiscover variants (Exchange/Outlook for
 * Microsoft 365), mobileconfig profiles for Apple Mail.
 */
package org.mailroom.daemon.http;
