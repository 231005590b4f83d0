/**
 * The host's Unix accounts, as local mail needs them: who a local submitter is (name, uid, groups)
 * and, for system mailboxes, a user's uid, gid and home directory.
 *
 * <p>Read from the files {@code /etc/passwd} and {@code /etc/group} in their passwd(5) and group(5)
 * formats, the "files" source of {@code getent passwd} / {@code getent group}.
 * XXX other NSS sources (LDAP, sssd, systemd-homed) are not consulted: the JDK has no getpwnam,
 * and running {@code getent} per look-up costs a process; a site with directory users lists them
 * with aliases instead. Blocking (file reads): never call on a Netty event loop.
 */
package org.mailroom.core.unix;
