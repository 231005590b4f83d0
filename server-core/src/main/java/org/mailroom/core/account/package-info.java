/**
 * Accounts and passwords. {@link org.mailroom.core.account.AccountStore} is the interface (an SQL
 * or LDAP backend can follow); {@link org.mailroom.core.account.PropertiesAccountStore} keeps
 * {@code users.properties} (address = Argon2id PHC string, mode 0600) in the configuration
 * directory; {@link org.mailroom.core.account.PasswordHasher} hashes and verifies;
 * {@link org.mailroom.core.account.Authenticator} is what protocol sessions call, and it writes the
 * one log line per login. Passwords are never logged and are wiped from char arrays after use.
 */
package org.mailroom.core.account;
