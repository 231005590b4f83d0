package org.mailroom.delivery.remote;

import org.mailroom.smtp.wire.EnhancedStatus;

/** Enhanced status codes used by the client that {@link EnhancedStatus} has no constant for. */
final class Statuses {
    private Statuses() {}

    /** RFC 3463 3.2: bad destination system address (NXDOMAIN). */
    static final EnhancedStatus X_5_1_2 = new EnhancedStatus(5, 1, 2);
    /** RFC 7505 3: the domain publishes a null MX. */
    static final EnhancedStatus X_5_1_10 = new EnhancedStatus(5, 1, 10);
    /** RFC 3463 3.5: unable to route. */
    static final EnhancedStatus X_5_4_4 = new EnhancedStatus(5, 4, 4);
    /** RFC 3463 3.5: no answer from host. */
    static final EnhancedStatus X_4_4_1 = new EnhancedStatus(4, 4, 1);
    /** RFC 3463 3.5: bad connection. */
    static final EnhancedStatus X_4_4_2 = EnhancedStatus.X_4_4_2;
    /** RFC 3463 3.5: directory server failure (DNS). */
    static final EnhancedStatus X_4_4_3 = new EnhancedStatus(4, 4, 3);
    /** RFC 3463 3.6: conversion required but not supported. */
    static final EnhancedStatus X_5_6_3 = new EnhancedStatus(5, 6, 3);
    /** RFC 6531 3.5: non-ASCII addresses not permitted for that recipient. */
    static final EnhancedStatus X_5_6_7 = EnhancedStatus.X_5_6_7;
    /** RFC 3463 3.4: message too big for system. */
    static final EnhancedStatus X_5_3_4 = EnhancedStatus.X_5_3_4;
    /** RFC 3463 3.8: security features not supported / TLS failed (RFC 3207). */
    static final EnhancedStatus X_4_7_0 = EnhancedStatus.X_4_7_0;
    /** RFC 3463 3.6: protocol error. */
    static final EnhancedStatus X_4_5_0 = EnhancedStatus.X_4_5_0;
}
