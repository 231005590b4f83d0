package org.mailroom.core.test;

import org.mailroom.core.io.DirectorySync;

/** A disk on which every directory fsync takes longer, so that group commit shows in fsync counts. */
public final class SlowDisk {
    private SlowDisk() {}

    /** A real directory fsync followed by {@code millis} of extra latency. */
    public static DirectorySync.Fsync fsync(long millis) {
        return d -> {
            DirectorySync.force(d);
            try {
                Thread.sleep(millis); // the simulated device latency itself, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
