/**
 * Accounts and passwords. {@link org.mailroom.core.account.AccountStore} is the interface (an SQL
 * or LDAP backend can follow); {@link org.mailroom.core.account.PropertiesAccountStore} keeps
 * {@code users.properties} (address = Argon2id PHC string, optionally followed by {@code ;} and the
 * {@link org.mailroom.core.account.ScramCredentials} for SCRAM-SHA-256; mode 0600) in the
 * configuration directory; {@link org.mailroom.core.account.PasswordHasher} hashes and verifies;
 * {@link org.mailroom.core.account.Authenticator} is what protocol sessions call, and it writes the
 * one log line per login (logger {@code org.mailroom.login});
 * {@link org.mailroom.core.account.AuthThrottle} delays failure replies and locks out guessing
 * addresses for every protocol at once.
 *
 * <p>Invariants: passwords are never logged and never stored in clear; char arrays holding them
 * are wiped by the {@code Authenticator} after the check. The daemon and the {@code mailroom user}
 * command line share {@code users.properties}: readers notice a replaced file with one stat per
 * call, writers lock {@code users.properties.lock} and replace the file atomically (temporary
 * file, fsync, rename, directory fsync). A login for an unknown address costs one hash check like
 * a wrong password. Everything here may block: call it from the blocking executor.
 *
 * <p>Not done: SASLprep of passwords (RFC 4013), internationalized addresses (RFC 6531), rehashing
 * stored hashes when the cost parameters are raised.
 */
package org.mailroom.core.account;
