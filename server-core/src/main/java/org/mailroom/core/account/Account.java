package org.mailroom.core.account;

/**
 * A mail account: its address ({@code local@domain}, domain lower-case) is also its login name and
 * the key of its mailbox in the store.
 */
public record Account(String address) {

    public String localPart() { return address.substring(0, address.lastIndexOf('@')); }

    public String domain() { return address.substring(address.lastIndexOf('@') + 1); }
}
