package org.mailroom.imap.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.mailroom.core.account.Account;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.sasl.SaslException;
import org.mailroom.core.sasl.SaslMechanism;
import org.mailroom.core.sasl.SaslServer;
import org.mailroom.imap.wire.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LOGIN (RFC 9051 6.2.3) and AUTHENTICATE (RFC 9051 6.2.2, with SASL-IR, RFC 4959) through the
 * shared SASL layer. The table has already checked the state (not authenticated).
 *
 * <ul>
 *   <li>A password crosses only under TLS or from a loopback client where
 *       {@code auth.plaintextOnLoopback} allows it: else {@code NO [PRIVACYREQUIRED]} (RFC 5530 3)
 *       and the capability list says {@code LOGINDISABLED}.</li>
 *   <li>Password checks and SASL steps run on the blocking executor; input waits meanwhile.</li>
 *   <li>Challenges are {@code + <base64>}; the client's {@code *} cancels and bad base64 ends the
 *       exchange, both with {@code BAD} (RFC 9051 6.2.2). SCRAM's server-final message goes as one
 *       more challenge, answered by an empty line (IMAP has no "additional data with success").</li>
 *   <li>Wrong credentials: {@code NO [AUTHENTICATIONFAILED]} after the delay the shared
 *       {@link AuthThrottle} asks for, on the event loop's timer; a locked-out address gets
 *       {@code NO [UNAVAILABLE]} before any password is looked at (RFC 5530 3).</li>
 *   <li>Success: {@code OK [CAPABILITY ...]} with the list after login (RFC 9051 6.2.2, 6.2.3);
 *       one account over its {@code imap.maxConnectionsPerUser} gets {@code NO [LIMIT]}.</li>
 *   <li>One log line per attempt: {@code imap: login user=<a@b>, client=[ip], mechanism=PLAIN,
 *       tls=yes, result=ok|failed|locked|limit|cancelled|error}. Never a password.</li>
 * </ul>
 */
final class LoginHandler {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.imap");

    private final Authenticator authenticator;
    private final AuthThrottle throttle;
    private final Capabilities capabilities;
    private final org.mailroom.core.store.MailStore store;

    LoginHandler(ImapInitializer.Services services) {
        this.store = services.store();
        this.authenticator = services.authenticator();
        this.throttle = services.throttle();
        this.capabilities = services.capabilities();
    }

    Completion login(ImapContext ctx, Command.Login c) {
        if (!ctx.plaintextLoginAllowed()) {
            logLine(ctx, c.user(), "LOGIN", "refused (no TLS)");
            throw new ImapNo("PRIVACYREQUIRED", "LOGIN needs TLS: use STARTTLS or port 993"); // RFC 9051 6.2.3
        }
        requireNotLockedOut(ctx, c.user(), "LOGIN");
        InetAddress client = ctx.clientAddress();
        char[] password = c.password().toCharArray();
        CompletionStage<java.util.Optional<Account>> checked = ctx.blocking(
                () -> authenticator.authenticate("imap", client, c.user(), password));
        return Completion.later(checked.handle((a, err) -> {
            Arrays.fill(password, '\0'); // the authenticator wipes it too, unless it never ran
            if (err != null) throw unavailable(ctx, c.user(), "LOGIN", err);
            return a;
        }).thenCompose(a -> a.isPresent() ? done(success(ctx, a.get(), "LOGIN")) : failed(ctx, c.user(), "LOGIN")));
    }

    Completion authenticate(ImapContext ctx, Command.Authenticate c) {
        SaslMechanism m = capabilities.mechanisms().find(c.mechanism()).orElseThrow(
                () -> new ImapNo("Unsupported authentication mechanism")); // RFC 9051 6.2.2
        if (!ctx.plaintextLoginAllowed()) {
            logLine(ctx, "", m.name(), "refused (no TLS)");
            throw new ImapNo("PRIVACYREQUIRED", "Authentication needs TLS: use STARTTLS or port 993");
        }
        requireNotLockedOut(ctx, "", m.name());
        byte[] initial = null;
        if (c.initialResponse() != null) {
            // RFC 4959 3: "=" is an empty initial response
            initial = c.initialResponse().equals("=") ? new byte[0] : decode(c.initialResponse());
        }
        SaslServer server = m.start(authenticator, "imap", ctx.clientAddress());
        return Completion.later(step(ctx, server, m.name(), initial));
    }

    /** One SASL step on the blocking executor, then the next challenge, the success or the failure. */
    private CompletionStage<Completion> step(ImapContext ctx, SaslServer server, String mechanism, byte[] response) {
        CompletionStage<SaslServer.Step> next = ctx.blocking(() -> {
            try {
                return server.step(response);
            } catch (SaslException e) {
                throw new ImapBad(e.getMessage()); // malformed response (RFC 9051 6.2.2)
            }
        });
        return next.handle((s, err) -> {
            if (err == null) return s;
            if (err instanceof ImapBad bad) {
                logLine(ctx, "", mechanism, "failed (malformed)");
                throw bad;
            }
            throw unavailable(ctx, "", mechanism, err);
        }).thenCompose(s -> {
            if (s instanceof SaslServer.Challenge ch) {
                return ctx.continuation(base64(ch.data())).thenCompose(line -> step(ctx, server, mechanism, response(ctx, line, mechanism)));
            }
            if (s instanceof SaslServer.Success ok) {
                if (ok.additionalData() == null) return done(success(ctx, ok.account(), mechanism));
                return ctx.continuation(base64(ok.additionalData())).thenApply(line -> {
                    response(ctx, line, mechanism); // "*" still cancels
                    if (!line.isEmpty()) throw new ImapBad("Expected an empty response");
                    return success(ctx, ok.account(), mechanism);
                });
            }
            return failed(ctx, ((SaslServer.Failure) s).login(), mechanism);
        });
    }

    /** The client's response line, decoded; {@code *} cancels (RFC 9051 6.2.2). */
    private byte[] response(ImapContext ctx, String line, String mechanism) {
        if (line.equals("*")) {
            logLine(ctx, "", mechanism, "cancelled");
            throw new ImapBad("AUTHENTICATE cancelled");
        }
        return line.isEmpty() ? new byte[0] : decode(line);
    }

    private Completion success(ImapContext ctx, Account a, String mechanism) {
        throttle.succeeded(ctx.clientAddress(), a.address());
        try {
            ctx.loggedIn(a, mechanism);
        } catch (ImapNo limit) {
            logLine(ctx, a.address(), mechanism, "limit");
            throw limit;
        }
        logLine(ctx, a.address(), mechanism, "ok");
        // RFC 9051 6.2.2 / 6.2.3: the capabilities after login, saving the client a CAPABILITY
        Completion ok = Completion.ok("CAPABILITY " + capabilities.of(ctx), "Logged in");
        // DESIGN.md 3: Sent, Drafts, Trash, Junk and Archive exist from the first login on
        return Completion.later(ctx.blocking(() -> {
            try {
                store.mailboxes(a.address()).ensureDefaults();
            } catch (java.io.IOException | RuntimeException e) {
                log.warn("{}: creating the default folders failed: {}", a.address(), e.toString());
            }
            return ok;
        }));
    }

    /** Counts the failure and answers after the throttle's delay (no thread sleeps). */
    private CompletionStage<Completion> failed(ImapContext ctx, String login, String mechanism) {
        Duration delay = throttle.failed(ctx.clientAddress(), login);
        logLine(ctx, login, mechanism, "failed");
        return ctx.delay(delay).thenApply(v -> {
            throw new ImapNo("AUTHENTICATIONFAILED", "Authentication failed"); // RFC 5530 3
        });
    }

    private void requireNotLockedOut(ImapContext ctx, String login, String mechanism) {
        InetAddress client = ctx.clientAddress();
        if (client != null && throttle.lockedOut(client)) {
            logLine(ctx, login, mechanism, "locked");
            throw new ImapNo("UNAVAILABLE", "Too many failed logins, try again later");
        }
    }

    private ImapException unavailable(ImapContext ctx, String login, String mechanism, Throwable err) {
        if (err instanceof ImapException e) return e;
        logLine(ctx, login, mechanism, "error (" + err + ")");
        return new ImapNo("UNAVAILABLE", "Cannot check the password now, try again later");
    }

    private static void logLine(ImapContext ctx, String login, String mechanism, String result) {
        log.info("{}: login user=<{}>, client={}, mechanism={}, tls={}, result={}", ctx.settings().listenerName(),
                ConnectionHandlers.printable(login == null ? "" : login, 320), ctx.client(), mechanism,
                ctx.tlsActive() ? "yes" : "no", result);
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** Strict base64; anything else ends the exchange with BAD (RFC 9051 6.2.2). */
    private static byte[] decode(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new ImapBad("Invalid base64 data");
        }
    }

    private static CompletionStage<Completion> done(Completion c) {
        return CompletableFuture.completedFuture(c);
    }
}
