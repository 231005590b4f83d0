package org.mailroom.daemon.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.metrics.Metrics;
import org.mailroom.core.net.InboundGate;
import org.mailroom.core.net.ShutdownEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one connection's requests:
 * <pre>
 * GET  /.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=A   Thunderbird autoconfig
 * GET  /mail/config-v1.1.xml?emailaddress=A                          (as autoconfig.&lt;domain&gt; serves it)
 * POST /autodiscover/autodiscover.xml  (any letter case; GET with ?emailaddress=A too)   Outlook POX
 * GET  /metrics                                                       Prometheus text 0.0.4
 * </pre>
 * HEAD is answered like GET without the body. Anything else: 404, or 405 with {@code Allow} for
 * a known path. A request the codec could not read gets 400 (414, 431) and the connection is
 * closed (RFC 9112 9.6 lets us close when we cannot continue). Requests are answered in order:
 * while {@code /metrics} is written on the blocking executor the {@link InboundGate} holds
 * pipelined ones back.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.http");
    static final String AUTOCONFIG_WELL_KNOWN = "/.well-known/autoconfig/mail/config-v1.1.xml";
    static final String AUTOCONFIG = "/mail/config-v1.1.xml";
    static final String AUTODISCOVER = "/autodiscover/autodiscover.xml";
    static final String METRICS = "/metrics";
    private static final String XML = "application/xml; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final String listener;
    private final Supplier<MailSite> site;
    private final Metrics metrics;
    private final BlockingExecutor blocking;
    private final InboundGate gate;
    private boolean busy;
    private boolean closing;

    HttpHandler(String listener, Supplier<MailSite> site, Metrics metrics, BlockingExecutor blocking, InboundGate gate) {
        this.listener = listener;
        this.site = site;
        this.metrics = metrics;
        this.blocking = blocking;
        this.gate = gate;
    }

    /** What the response needs of a request, kept after Netty releases the request. */
    private record Asked(HttpVersion version, boolean keepAlive, boolean head, String method, String path) {}

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            Throwable why = req.decoderResult().cause();
            HttpResponseStatus status = why instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : why instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : why instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            log.debug("{}: client={}: unreadable request: {}", listener, client(ctx), String.valueOf(why));
            send(ctx, new Asked(HttpVersion.HTTP_1_1, false, false, "-", "-"), status, TEXT, status.reasonPhrase() + "\n");
            return;
        }
        boolean head = req.method().equals(HttpMethod.HEAD);
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(req.uri());
            uri.parameters(); // decodes now: a bad %-escape is this request's 400, not an exception later
        } catch (IllegalArgumentException e) {
            send(ctx, new Asked(req.protocolVersion(), false, head, req.method().name(), "-"), HttpResponseStatus.BAD_REQUEST,
                    TEXT, "Bad Request\n");
            return;
        }
        Asked a = new Asked(req.protocolVersion(), HttpUtil.isKeepAlive(req) && !closing, head, req.method().name(), uri.path());
        String path = uri.path();
        boolean get = req.method().equals(HttpMethod.GET) || head;
        if (site != null && (path.equals(AUTOCONFIG_WELL_KNOWN) || path.equals(AUTOCONFIG))) {
            if (!get) {
                methodNotAllowed(ctx, a, "GET, HEAD");
                return;
            }
            autoconfig(ctx, a, req, first(uri, "emailaddress"));
        } else if (site != null && path.toLowerCase(Locale.ROOT).equals(AUTODISCOVER)) {
            if (!get && !req.method().equals(HttpMethod.POST)) {
                methodNotAllowed(ctx, a, "POST, GET, HEAD");
                return;
            }
            autodiscover(ctx, a, req, uri);
        } else if (metrics != null && path.equals(METRICS)) {
            if (!get) {
                methodNotAllowed(ctx, a, "GET, HEAD");
                return;
            }
            metrics(ctx, a);
        } else {
            log.debug("{}: client={}: {} {}: 404", listener, client(ctx), a.method(), printable(path));
            send(ctx, a, HttpResponseStatus.NOT_FOUND, TEXT, "Not Found\n");
        }
    }

    private void autoconfig(ChannelHandlerContext ctx, Asked a, FullHttpRequest req, String email) {
        MailSite s = site.get();
        String domain = email != null ? s.localDomainOf(email) : domainFromHost(s, req.headers().get(HttpHeaderNames.HOST));
        if (domain == null) {
            log.info("{}: client={}, autoconfig: address=<{}>: not a local domain", listener, client(ctx),
                    email == null ? "" : printable(email));
            send(ctx, a, HttpResponseStatus.NOT_FOUND, TEXT, "Not Found\n");
            return;
        }
        log.info("{}: client={}, autoconfig: address=<{}>, domain={}", listener, client(ctx),
                email == null ? "" : printable(email), domain);
        send(ctx, a, HttpResponseStatus.OK, XML, Autoconfig.document(domain, s.host(), s.endpoints()));
    }

    /**
     * Without {@code emailaddress} (older Thunderbird, a browser): the domain from
     * {@code Host: autoconfig.<domain>} or {@code Host: <domain>}, when it is local.
     */
    static String domainFromHost(MailSite s, String host) {
        if (host == null) return null;
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) return null; // an IPv6 literal names no domain
        int colon = h.indexOf(':');
        if (colon >= 0) h = h.substring(0, colon);
        if (h.startsWith("autoconfig.")) h = h.substring("autoconfig.".length());
        return s.domains().contains(h) ? h : null;
    }

    private void autodiscover(ChannelHandlerContext ctx, Asked a, FullHttpRequest req, QueryStringDecoder uri) {
        MailSite s = site.get();
        String id = Integer.toUnsignedString(s.host().hashCode());
        String email;
        try {
            if (req.method().equals(HttpMethod.POST)) {
                Autodiscover.Request r = Autodiscover.parse(ByteBufUtil.getBytes(req.content()));
                // Outlook asks for 2006a; ActiveSync clients ask for mobilesync, which is not served here
                if (r.acceptableSchema() != null && !r.acceptableSchema().equals(Autodiscover.OUTLOOK_NS)) {
                    throw new Autodiscover.Refused(601, "Provider is not available for the requested schema");
                }
                email = r.emailAddress();
            } else {
                email = first(uri, "emailaddress");
                if (email == null) email = first(uri, "email");
                if (email == null) throw new Autodiscover.Refused(600, "Invalid Request");
            }
            if (s.localDomainOf(email) == null) throw new Autodiscover.Refused(500, "The e-mail address cannot be found.");
        } catch (Autodiscover.Refused e) {
            log.info("{}: client={}, autodiscover: error={} ({})", listener, client(ctx), e.code, e.getMessage());
            // Exchange answers errors with 200 and the Error element: Outlook reads the body, not the status
            send(ctx, a, HttpResponseStatus.OK, XML, Autodiscover.error(e.code, e.getMessage(), Autodiscover.now(), id));
            return;
        }
        log.info("{}: client={}, autodiscover: address=<{}>", listener, client(ctx), printable(email));
        send(ctx, a, HttpResponseStatus.OK, XML, Autodiscover.settings(email, s.host(), s.endpoints()));
    }

    private void metrics(ChannelHandlerContext ctx, Asked a) {
        busy = true;
        // the gauges read the queue directories: never on the event loop (DESIGN.md 2)
        blocking.call(ctx.channel(), gate, metrics::writeText, (text, err) -> {
            busy = false;
            if (err != null) {
                log.warn("{}: /metrics failed: {}", listener, err.toString());
                send(ctx, a, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "Service Unavailable\n");
            } else {
                send(ctx, a, HttpResponseStatus.OK, Metrics.CONTENT_TYPE, text);
            }
            if (closing) ctx.close();
        });
    }

    private void methodNotAllowed(ChannelHandlerContext ctx, Asked a, String allow) {
        FullHttpResponse r = response(a, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "Method Not Allowed\n");
        r.headers().set(HttpHeaderNames.ALLOW, allow); // RFC 9110 15.5.6: a 405 lists what is allowed
        write(ctx, a, r);
    }

    private void send(ChannelHandlerContext ctx, Asked a, HttpResponseStatus status, String type, String body) {
        write(ctx, a, response(a, status, type, body));
    }

    private static FullHttpResponse response(Asked a, HttpResponseStatus status, String type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(a.version(), status,
                a.head() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        // RFC 9110 8.6: a HEAD response may carry the length the GET body would have
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        r.headers().set("X-Content-Type-Options", "nosniff");
        return r;
    }

    private void write(ChannelHandlerContext ctx, Asked a, FullHttpResponse r) {
        boolean keepAlive = a.keepAlive() && !closing;
        HttpUtil.setKeepAlive(r, keepAlive);
        if (!keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (keepAlive) ctx.writeAndFlush(r);
        else ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else if (evt instanceof ShutdownEvent) {
            // between requests the connection just closes; a request in progress is answered first
            closing = true;
            if (!busy) ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: client={}: {}", listener, client(ctx), cause.toString());
        ctx.close();
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static String client(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? "[" + a.getAddress().getHostAddress() + "]" : "[unknown]";
    }

    /** Request text reaches the log: control characters become {@code ?}, long text is cut. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > 200) b.append("...");
        return b.toString();
    }
}
