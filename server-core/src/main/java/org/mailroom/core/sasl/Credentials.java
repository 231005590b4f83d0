package org.mailroom.core.sasl;

import java.util.Arrays;

/**
 * What a password mechanism carried: who acts ({@code authzid}, empty when the client named none),
 * whose password it is ({@code authcid}) and the password. The password is a {@code char[]} so the
 * caller can wipe it ({@link #wipe}, or {@link org.mailroom.core.account.Authenticator} does) once
 * it was checked; {@link #toString} never shows it.
 */
public record Credentials(String authzid, String authcid, char[] password) {

    /** Overwrites the password with NULs. */
    public void wipe() {
        Arrays.fill(password, '\0');
    }

    @Override
    public String toString() {
        return "Credentials[authzid=" + authzid + ", authcid=" + authcid + ", password=<hidden>]";
    }
}
