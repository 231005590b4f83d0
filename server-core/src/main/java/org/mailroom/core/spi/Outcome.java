package org.mailroom.core.spi;

/**
 * A decision of the sink in SMTP terms: a reply code (250, 451, 452, 550, 554 ...), an RFC 3463
 * enhanced status code ({@code 5.1.1}) and the text for the client.
 */
public record Outcome(int code, String enhancedStatus, String text) {

    public static Outcome ok(String enhancedStatus, String text) {
        return new Outcome(250, enhancedStatus, text);
    }

    public boolean isOk() { return code / 100 == 2; }

    public boolean isPermanent() { return code / 100 == 5; }
}
