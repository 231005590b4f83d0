package org.mailroom.core.sasl;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The mechanisms a listener offers, in the order they are advertised.
 *
 * @param all at least one mechanism
 */
public record SaslMechanisms(List<SaslMechanism> all) {

    public SaslMechanisms {
        all = List.copyOf(all);
    }

    /** SCRAM-SHA-256, PLAIN and LOGIN: the strongest first, as clients pick from the front. */
    public static SaslMechanisms standard() {
        return new SaslMechanisms(List.of(new ScramSha256(), new Plain(), new Login()));
    }

    /** As {@link #standard}, with SCRAM server nonces from {@code nonces} (tests). */
    static SaslMechanisms standard(Supplier<String> nonces) {
        return new SaslMechanisms(List.of(new ScramSha256(nonces), new Plain(), new Login()));
    }

    /** The mechanism named {@code name} (case-insensitive, RFC 4422 3.1). */
    public Optional<SaslMechanism> find(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        for (SaslMechanism m : all) if (m.name().equals(n)) return Optional.of(m);
        return Optional.empty();
    }

    /** The names for a capability line, e.g. {@code SCRAM-SHA-256 PLAIN LOGIN}. */
    public String names(boolean includePlaintext) {
        StringBuilder b = new StringBuilder();
        for (SaslMechanism m : all) {
            if (m.plaintext() && !includePlaintext) continue;
            if (!b.isEmpty()) b.append(' ');
            b.append(m.name());
        }
        return b.toString();
    }
}
