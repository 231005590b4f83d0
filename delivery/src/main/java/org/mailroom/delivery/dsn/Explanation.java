package org.mailroom.delivery.dsn;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import org.mailroom.delivery.dsn.RecipientStatus.Action;

/**
 * The human-readable first part of a report (RFC 6522 3: "a human-readable explanation"), in the
 * words Postfix's bounce(8) templates use, since postmasters and users know them.
 */
final class Explanation {
    private static final String SIGNATURE = "                   The mail system\n";
    private static final String ASSISTANCE = """
            For further assistance, please send mail to postmaster.

            If you do so, please include this problem report. You can
            delete your own text from the attached returned message.
            """;

    private Explanation() {}

    /**
     * @param trimmedAt the size limit when RET=FULL was asked for but only the header section is
     *     returned, else -1
     */
    static String text(DsnRequest r, String host, Instant now, long trimmedAt, Function<Instant, String> date) {
        StringBuilder t = new StringBuilder(1024);
        t.append("This is the mail system at host ").append(host).append(".\n\n");
        switch (r.kind()) {
            case FAILURE -> t.append("""
                    I'm sorry to have to inform you that your message could not
                    be delivered to one or more recipients. It's attached below.

                    """).append(ASSISTANCE);
            case DELAY -> {
                t.append("""
                        ####################################################################
                        # THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
                        ####################################################################

                        """);
                t.append("Your message could not be delivered for ")
                        .append(span(Duration.between(r.arrival(), now))).append(".\n");
                Instant until = null;
                for (RecipientStatus rs : r.recipients()) {
                    if (rs.willRetryUntil() != null && (until == null || rs.willRetryUntil().isAfter(until))) {
                        until = rs.willRetryUntil();
                    }
                }
                if (until != null) t.append("It will be retried until ").append(date.apply(until)).append(".\n");
                t.append('\n').append(ASSISTANCE);
            }
            case SUCCESS -> t.append("""
                    Your message was successfully delivered to the destination(s)
                    listed below. If the message was delivered to mailbox you will
                    receive no further notifications. Otherwise you may still receive
                    notifications of mail delivery errors from other systems.
                    """);
        }
        if (trimmedAt >= 0) {
            t.append('\n').append(String.join("\n", FieldText.fold("",
                    "The message was larger than " + trimmedAt
                            + " bytes, so only its header section is attached.", "", 66))).append('\n');
        }
        t.append('\n').append(SIGNATURE).append('\n');
        for (RecipientStatus rs : r.recipients()) {
            t.append(String.join("\n", FieldText.fold("", line(rs), "    ", FieldText.SOFT_WIDTH))).append("\n\n");
        }
        t.setLength(t.length() - 1); // one LF after the last line
        return t.toString();
    }

    /** {@code <bob@example.net>: host mx.example.net said: 550 5.1.1 ...}, cleaned. */
    private static String line(RecipientStatus rs) {
        String rcpt = "<" + FieldText.clean(rs.finalRecipient()) + ">: ";
        boolean positive = rs.action() != Action.FAILED && rs.action() != Action.DELAYED;
        String remote = rs.remoteMta() == null ? null : FieldText.clean(rs.remoteMta());
        if (rs.diagnostic() != null) {
            String via = remote == null ? "" : positive ? "delivery via " + remote + ": " : "host " + remote + " said: ";
            return rcpt + via + FieldText.clean(rs.diagnostic());
        }
        String what = switch (rs.action()) {
            case FAILED -> "delivery failed";
            case DELAYED -> "delivery temporarily deferred";
            case DELIVERED -> "delivered";
            case RELAYED -> "relayed to a system that sends no delivery reports";
            case EXPANDED -> "delivered to the members of a list or alias";
        };
        return rcpt + what + (remote == null ? "" : " (host " + remote + ")") + ", status " + rs.status();
    }

    /** Postfix's "for 4.0 hours": hours up to two days, then days. */
    private static String span(Duration d) {
        double hours = Math.max(0, d.toMinutes()) / 60.0;
        return hours < 48
                ? String.format(Locale.ROOT, "%.1f hours", hours)
                : String.format(Locale.ROOT, "%.1f days", hours / 24);
    }
}
