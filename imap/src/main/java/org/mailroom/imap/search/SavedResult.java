package org.mailroom.imap.search;

import java.util.Arrays;
import java.util.Collection;

/**
 * The saved search result that {@code $} refers to (RFC 5182, RFC 9051 6.4.4.1), held as UIDs:
 * RFC 5182 2.1 lets the saved messages survive expunges of other messages, so the session keeps
 * UIDs and {@code $} and {@code UID $} both match exactly the candidates whose UID is saved. With no
 * saved result (never saved, or reset by a failed SEARCH, RFC 5182 2.1) use {@link #EMPTY}:
 * {@code $} then matches nothing. Immutable.
 */
public final class SavedResult {

    public static final SavedResult EMPTY = new SavedResult(new long[0]);

    private final long[] uids;

    private SavedResult(long[] sortedUnique) {
        this.uids = sortedUnique;
    }

    public static SavedResult of(long... uids) {
        long[] copy = uids.clone();
        Arrays.sort(copy);
        int n = 0;
        for (int i = 0; i < copy.length; i++) {
            if (n == 0 || copy[n - 1] != copy[i]) {
                copy[n++] = copy[i];
            }
        }
        return new SavedResult(Arrays.copyOf(copy, n));
    }

    public static SavedResult of(Collection<Long> uids) {
        return of(uids.stream().mapToLong(Long::longValue).toArray());
    }

    public boolean contains(long uid) {
        return Arrays.binarySearch(uids, uid) >= 0;
    }

    public int size() {
        return uids.length;
    }
}
