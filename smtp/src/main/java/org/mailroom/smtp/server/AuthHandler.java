package org.mailroom.smtp.server;

import static org.mailroom.smtp.wire.EnhancedStatus.X_2_7_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_4_7_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_0_0;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_2;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_5_4;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_7_11;
import static org.mailroom.smtp.wire.EnhancedStatus.X_5_7_8;
import static org.mailroom.smtp.wire.ReplyCode.C235_AUTH_SUCCEEDED;
import static org.mailroom.smtp.wire.ReplyCode.C334_AUTH_CHALLENGE;
import static org.mailroom.smtp.wire.ReplyCode.C454_AUTH_TEMPORARY_FAILURE;
import static org.mailroom.smtp.wire.ReplyCode.C501_SYNTAX_ERROR_PARAMS;
import static org.mailroom.smtp.wire.ReplyCode.C504_PARAM_NOT_IMPLEMENTED;
import static org.mailroom.smtp.wire.ReplyCode.C535_AUTH_CREDENTIALS_INVALID;
import static org.mailroom.smtp.wire.ReplyCode.C538_ENCRYPTION_REQUIRED;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.mailroom.core.account.AuthThrottle;
import org.mailroom.core.account.Authenticator;
import org.mailroom.core.exec.BlockingExecutor;
import org.mailroom.core.tls.ClientCertificates;
import org.mailroom.core.sasl.External;
import org.mailroom.core.sasl.SaslException;
import org.mailroom.core.sasl.SaslMechanism;
import org.mailroom.core.sasl.SaslMechanisms;
import org.mailroom.core.sasl.SaslServer;
import org.mailroom.smtp.wire.Reply;
import org.mailroom.smtp.wire.SmtpCommand;
import org.mailroom.smtp.wire.SmtpReplyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTH (RFC 4954): drives a {@link SaslServer} over {@code 334} continuation lines. The table has
 * already checked that AUTH is offered, that the session is greeted, outside a transaction and
 * not yet authenticated (503).
 *
 * <ul>
 *   <li>Every SASL step runs on the blocking executor (password hashing, the account store); the
 *       input stays paused meanwhile, so pipelined lines wait.</li>
 *   <li>The client's lines are base64 (RFC 4954 4): {@code *} cancels with 501 5.0.0, bad base64
 *       is 501 5.5.2, and either ends the exchange. An initial response of {@code =} is empty.</li>
 *   <li>Every mechanism needs TLS, or a
 *       loopback client where {@code auth.plaintextOnLoopback} allows it: else 538 5.7.11.
 *       XXX SCRAM-SHA-256 is accepted and advertised without TLS: the password never crosses,
 *       though the session after it is unprotected.</li>
 *   <li>Wrong credentials get 535 5.7.8, after the delay {@link AuthThrottle} asks for, scheduled
 *       on the event loop; a locked-out address gets 454 4.7.0 before any credentials are read.</li>
 *   <li>EXTERNAL (RFC 4422 appendix A) is listed only when the client's TLS certificate verifies
 *       against {@code tls.clientCa} and names an address ({@link ClientCertificates}); without
 *       one it gets 535 5.7.8, and 504 on a listener without {@code tls.clientCa}.</li>
 *   <li>Success is 235 2.7.0; SCRAM's server-final message goes first as one more 334, answered
 *       by an empty line (RFC 4954 4, additional data with success).</li>
 * </ul>
 * Shared by every session of a listener; the exchange in progress lives in the session.
 */
final class AuthHandler {
    private static final Logger log = LoggerFactory.getLogger("org.mailroom.smtp");

    private static final Reply CANCELLED = new Reply(C501_SYNTAX_ERROR_PARAMS, X_5_0_0, "Authentication cancelled");
    private static final Reply BAD_BASE64 = new Reply(C501_SYNTAX_ERROR_PARAMS, X_5_5_2, "Invalid base64 data");
    private static final Reply FAILED = new Reply(C535_AUTH_CREDENTIALS_INVALID, X_5_7_8, "Authentication credentials invalid");
    private static final Reply SUCCEEDED = new Reply(C235_AUTH_SUCCEEDED, X_2_7_0, "Authentication successful");
    private static final Reply TEMPORARY = new Reply(C454_AUTH_TEMPORARY_FAILURE, X_4_7_0, "Temporary authentication failure");

    /** One exchange in progress; held by the session between continuation lines. */
    static final class Exchange {
        final SaslServer server;
        final String mechanism;
        /** Set after SCRAM's server-final data was sent: the next line must be empty. */
        org.mailroom.core.account.Account pendingAccount;

        Exchange(SaslServer server, String mechanism) {
            this.server = server;
            this.mechanism = mechanism;
        }
    }

    private final SmtpSettings settings;
    private final Authenticator authenticator;
    private final AuthThrottle throttle;
    private final SaslMechanisms mechanisms;
    private final BlockingExecutor executor;
    /** {@code tls.clientCa}, or null: EXTERNAL is never offered. */
    private final ClientCertificates clientCertificates;

    /** @param authenticator null: AUTH is not offered whatever the settings say */
    AuthHandler(SmtpSettings settings, Authenticator authenticator, AuthThrottle throttle,
                SaslMechanisms mechanisms, BlockingExecutor executor) {
        this(settings, authenticator, throttle, mechanisms, executor, null);
    }

    /** @param clientCertificates verifies and maps client certificates for EXTERNAL; null: no EXTERNAL */
    AuthHandler(SmtpSettings settings, Authenticator authenticator, AuthThrottle throttle,
                SaslMechanisms mechanisms, BlockingExecutor executor, ClientCertificates clientCertificates) {
        this.clientCertificates = clientCertificates;
        this.settings = settings;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.mechanisms = mechanisms;
        this.executor = executor;
    }

    boolean offered() {
        return settings.authEnabled() && authenticator != null;
    }

    /** The EHLO keyword (RFC 4954 3), or null before TLS (unless loopback may authenticate in the clear). */
    String ehloKeyword(SmtpSession s) {
        // RFC 8314 / issue "Submission": AUTH is offered only over TLS (or loopback by config),
        // for every mechanism: after SCRAM the session itself would still travel in the clear
        if (!offered() || s.authUser() != null || !plaintextAllowed(s)) return null;
        String names = mechanisms.names(true);
        if (certificateMailbox(s) != null) names = names.isEmpty() ? External.NAME : names + " " + External.NAME;
        return names.isEmpty() ? null : "AUTH " + names;
    }

    /**
     * The address of the client's TLS certificate when it verifies against {@code tls.clientCa}
     * and names one (RFC 4422 appendix A: the external identity), else null. Whether the account
     * exists is checked by the exchange, on the blocking executor.
     */
    private String certificateMailbox(SmtpSession s) {
        if (clientCertificates == null) return null;
        X509Certificate[] chain = s.peerCertificates();
        if (chain == null || !clientCertificates.verify(chain)) return null;
        return ClientCertificates.mailbox(chain[0]);
    }

    private boolean plaintextAllowed(SmtpSession s) {
        return s.tlsActive() || (settings.allowPlaintextAuthOnLoopback() && isLoopback(s.channel()));
    }

    CompletionStage<Reply> start(SmtpSession s, SmtpCommand.Auth cmd) {
        InetAddress client = address(s.channel());
        if (client != null && throttle.lockedOut(client)) {
            log.info("{}: AUTH refused: too many failed logins from this address", s.client());
            return done(TEMPORARY);
        }
        boolean external = clientCertificates != null && cmd.mechanism().equalsIgnoreCase(External.NAME);
        SaslMechanism m = external ? null : mechanisms.find(cmd.mechanism()).orElseThrow(() ->
                new SmtpReplyException(C504_PARAM_NOT_IMPLEMENTED, X_5_5_4, "Unrecognized authentication type"));
        if (!plaintextAllowed(s)) {
            throw new SmtpReplyException(C538_ENCRYPTION_REQUIRED, X_5_7_11,
                    "Encryption required for requested authentication mechanism");
        }
        byte[] initial = null;
        if (cmd.initialResponse() != null) {
            // RFC 4954 4: "=" is an empty initial response
            initial = cmd.initialResponse().equals("=") ? new byte[0] : decode(cmd.initialResponse());
            if (initial == null) return done(BAD_BASE64);
        }
        Exchange x;
        if (external) {
            String mailbox = certificateMailbox(s);
            if (mailbox == null) {
                log.info("{}: AUTH EXTERNAL refused: no verified client certificate naming an address", s.client());
                return done(FAILED);
            }
            x = new Exchange(External.start(authenticator, settings.listenerName(), client, mailbox), External.NAME);
        } else {
            x = new Exchange(m.start(authenticator, settings.listenerName(), client), m.name());
        }
        s.authExchange(x);
        return step(s, x, initial);
    }

    /** A line while an exchange is in progress. */
    CompletionStage<Reply> response(SmtpSession s, String line) {
        Exchange x = s.authExchange();
        if (line.equals("*")) {
            s.authExchange(null);
            return done(CANCELLED); // RFC 4954 4
        }
        if (x.pendingAccount != null) {
            // RFC 4954 4: the client acknowledges the additional data with an empty response
            s.authExchange(null);
            if (!line.isEmpty()) return done(BAD_BASE64);
            return done(success(s, x));
        }
        byte[] response = line.isEmpty() ? new byte[0] : decode(line);
        if (response == null) {
            s.authExchange(null);
            return done(BAD_BASE64);
        }
        return step(s, x, response);
    }

    private CompletionStage<Reply> step(SmtpSession s, Exchange x, byte[] response) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Channel ch = s.channel();
        executor.call(ch, s.gate(), () -> x.server.step(response), (SaslServer.Step step, Throwable err) -> {
            if (err != null) {
                s.authExchange(null);
                if (err instanceof SaslException e) {
                    reply.complete(new Reply(C501_SYNTAX_ERROR_PARAMS, X_5_5_2, e.getMessage()));
                } else {
                    if (!(err instanceof RejectedExecutionException)) {
                        log.warn("{}: AUTH {} failed: {}", s.client(), x.mechanism, err.toString());
                    }
                    reply.complete(TEMPORARY);
                }
                return;
            }
            if (step instanceof SaslServer.Challenge c) {
                reply.complete(challenge(c.data()));
            } else if (step instanceof SaslServer.Success ok) {
                x.pendingAccount = ok.account();
                if (ok.additionalData() != null) {
                    reply.complete(challenge(ok.additionalData()));
                } else {
                    s.authExchange(null);
                    reply.complete(success(s, x));
                }
            } else if (step instanceof SaslServer.Failure f) {
                s.authExchange(null);
                Duration delay = throttle.failed(address(ch), f.login());
                if (delay.isZero()) {
                    reply.complete(FAILED);
                } else {
                    // no thread sleeps: the input stays paused and the reply is scheduled
                    long generation = s.gate().pause();
                    ch.eventLoop().schedule(() -> {
                        reply.complete(FAILED);
                        if (s.gate().pauseGeneration() == generation && ch.isActive()) s.gate().resume();
                    }, delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        });
        return reply;
    }

    private Reply success(SmtpSession s, Exchange x) {
        throttle.succeeded(address(s.channel()), x.pendingAccount.address());
        s.authenticated(x.pendingAccount.address());
        log.info("{}: AUTH {} ok: user=<{}>", s.client(), x.mechanism, x.pendingAccount.address());
        return SUCCEEDED;
    }

    private static Reply challenge(byte[] data) {
        return Reply.plain(C334_AUTH_CHALLENGE, Base64.getEncoder().encodeToString(data));
    }

    /** Strict base64 (RFC 4954 4), or null. */
    private static byte[] decode(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static CompletionStage<Reply> done(Reply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static InetAddress address(Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
    }

    private static boolean isLoopback(Channel ch) {
        InetAddress a = address(ch);
        return a == null || a.isLoopbackAddress(); // null: an in-VM channel in tests
    }
}
