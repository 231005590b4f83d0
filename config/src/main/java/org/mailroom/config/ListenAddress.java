package org.mailroom.config;

import java.net.InetSocketAddress;

/**
 * One address a listener binds: {@code host:port}, {@code [v6]:port} or {@code *:port} (all
 * interfaces). Port 0 asks the kernel for an ephemeral port (tests).
 */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String s) {
        String t = s.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("bad address \"" + s + "\" (expected host:port)");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad address \"" + s + "\" (write IPv6 as [addr]:port)");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in \"" + s + "\"");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range in \"" + s + "\"");
        if (host.isEmpty()) throw new IllegalArgumentException("bad address \"" + s + "\" (empty host)");
        return new ListenAddress(host, port);
    }

    /** The socket address to bind; {@code *} means the wildcard address. Does no DNS for IP literals. */
    public InetSocketAddress toSocketAddress() {
        return host.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
