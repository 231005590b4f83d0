package org.mailroom.core.account;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The one account store that SMTP AUTH, POP3, IMAP and delivery share. Addresses are compared with
 * the domain case-insensitive and the local part as given (lower-cased by {@link #normalize}).
 * Every method may block (file I/O, password hashing) and is called only from the blocking
 * executor or the command line. Thread-safe.
 */
public interface AccountStore {

    /** The account for {@code address}, if it exists. Reflects changes made by other processes. */
    Optional<Account> find(String address) throws IOException;

    /**
     * Checks a password. Costs the same time whether the account is missing or the password is
     * wrong (a dummy hash is verified for unknown accounts).
     */
    Optional<Account> authenticate(String address, char[] password) throws IOException;

    /**
     * The SCRAM-SHA-256 keys of an account (RFC 5802 3), made when its password was last set.
     * Empty for an unknown account and for one whose password was set before SCRAM keys were
     * kept (it logs in with PLAIN or LOGIN until the password is set again).
     */
    default Optional<ScramCredentials> scramSha256(String address) throws IOException {
        return Optional.empty();
    }

    List<Account> list() throws IOException;

    /** @throws IllegalArgumentException when the address is malformed or already exists */
    void add(String address, char[] password) throws IOException;

    /**
     * Sets a new password; stores that keep SCRAM keys derive new ones from it.
     *
     * @throws IllegalArgumentException when the account does not exist
     */
    void setPassword(String address, char[] password) throws IOException;

    /** @return false when there was no such account */
    boolean remove(String address) throws IOException;

    /** {@code Alice@Example.ORG} becomes {@code alice@example.org}. */
    static String normalize(String address) {
        return address.trim().toLowerCase(java.util.Locale.ROOT);
    }
}
