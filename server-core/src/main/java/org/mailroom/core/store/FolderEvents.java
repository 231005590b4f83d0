package org.mailroom.core.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event log of one loaded folder, shared by every store: the changes its views have not all
 * read yet, numbered from 0 for the life of the folder state, and where each view stands in it.
 * A view's position is the number of the first event it has not read; {@link #take} hands a view
 * its events and moves it to the end. Events every view has read are dropped.
 *
 * <p>Made for many views of one folder (1,000 sessions of one user idling on INBOX) and cheap per
 * view: {@link #pending} and {@link #expungePending} read two volatile counters without the
 * folder lock, so a woken session takes the lock once (in {@link #take}); the positions are kept
 * as a counted multiset, so a view that moves or leaves costs O(log positions), not a walk over
 * all views; and {@link #replay} hands every view that stood at the same place the same result,
 * so 1,000 views woken by one delivery replay it once, not 1,000 times (each replay copies the
 * folder's list: 20,000 refs), and then share one snapshot list (memory stays shared, as it was
 * when they opened).
 *
 * <p>Threads: every method except {@link #pending}, {@link #expungePending} and {@link #replay}
 * is called with the folder's lock held.
 */
public final class FolderEvents {
    private final ArrayList<FolderEvent> events = new ArrayList<>();
    /** The number of {@code events.get(0)}. */
    private long base;
    /** {@code base + events.size()}; written under the lock, read without it. */
    private volatile long end;
    /** The number of the newest {@link FolderEvent.Expunged}, -1 when none; as {@link #end}. */
    private volatile long lastExpunge = -1;
    /** How many views stand at each position. */
    private final TreeMap<Long, int[]> positions = new TreeMap<>();

    /** Forgets every event: nobody watches yet (a folder just loaded). */
    public void clear() {
        base += events.size();
        events.clear();
        end = base;
    }

    /** Appends {@code out} in order; dropped at once when no view watches. */
    public void publish(List<FolderEvent> out) {
        if (out.isEmpty()) return;
        long n = end;
        for (int i = out.size() - 1; i >= 0; i--) {
            if (out.get(i) instanceof FolderEvent.Expunged) {
                lastExpunge = n + i;
                break;
            }
        }
        if (positions.isEmpty()) {
            base = n + out.size();
            events.clear();
        } else {
            events.addAll(out);
        }
        end = n + out.size();
    }

    /** The number the next event will get: a view opening now starts here. */
    public long end() {
        return end;
    }

    /** A view opens at {@link #end()}; its position. */
    public long join() {
        long p = end;
        positions.computeIfAbsent(p, k -> new int[1])[0]++;
        return p;
    }

    /** A view at {@code position} closes. */
    public void leave(long position) {
        drop(position);
        trim();
    }

    /** Without the lock: whether a view at {@code position} has events to read. */
    public boolean pending(long position) {
        return position < end;
    }

    /** Without the lock: whether a view at {@code position} would read an expunge. */
    public boolean expungePending(long position) {
        return lastExpunge >= position;
    }

    /**
     * The events a view at {@code position} has not read, in order; the view now stands at
     * {@link #end()} (its new position). Drops events nobody needs any more.
     */
    public List<FolderEvent> take(long position) {
        long e = end;
        if (position >= e) return List.of();
        int from = (int) (Math.max(position, base) - base);
        List<FolderEvent> out = List.copyOf(events.subList(from, events.size()));
        drop(position);
        positions.computeIfAbsent(e, k -> new int[1])[0]++;
        trim();
        return out;
    }

    /** How many events are kept (tests). */
    int retained() {
        return events.size();
    }

    private void drop(long position) {
        int[] n = positions.get(position);
        if (n != null && --n[0] == 0) positions.remove(position);
    }

    private void trim() {
        Map.Entry<Long, int[]> first = positions.firstEntry();
        long min = first == null ? end : first.getKey();
        int drop = (int) (min - base);
        if (drop <= 0) return;
        if (drop >= events.size()) events.clear();
        else events.subList(0, drop).clear();
        base = min;
    }

    /**
     * Without the lock: {@link ViewReplay#replay} of the events numbered {@code start} (inclusive)
     * to {@code stop} (exclusive), which {@link #take} returned, over {@code snapshot}. Every view
     * that stood at {@code start} and made none of these changes itself gets the result the first
     * such view got (the same snapshot list, the same changes): views that stand at one position
     * have equal snapshots, because a view's snapshot is the folder's list as of its position (it
     * is taken with the position, under the lock, and moves only by replaying every event from
     * there). A view's own flag changes are silent for it alone, so its result is its own; at the
     * next change it shares again.
     */
    public ViewReplay.Result replay(List<MessageRef> snapshot, long start, long stop, List<FolderEvent> evs,
                                    Object self) {
        if (evs.isEmpty()) return new ViewReplay.Result(snapshot, Mailbox.Changes.NONE);
        for (FolderEvent e : evs) {
            if (e instanceof FolderEvent.Changed c && c.origin() == self) return ViewReplay.replay(snapshot, evs, self);
        }
        // made under the memo's lock: views of other event loops that want the same result wait
        // for it instead of each making their own (and keeping their own copy of a large folder)
        synchronized (memo) {
            for (Replayed r : memo) {
                if (r != null && r.start == start && r.stop == stop && r.size == snapshot.size()) return r.result;
            }
            ViewReplay.Result result = ViewReplay.replay(snapshot, evs, self);
            memo[next] = new Replayed(start, stop, snapshot.size(), result);
            next = (next + 1) % memo.length;
            return result;
        }
    }

    /** Recent replays, by the place their views stood (a few groups of views may stand apart). */
    private final Replayed[] memo = new Replayed[4];
    /** The slot of {@link #memo} to fill next; guarded by {@link #memo}. */
    private int next;

    /** @param size of the snapshot replayed: a cheap check of the rule {@link #replay} rests on */
    private record Replayed(long start, long stop, int size, ViewReplay.Result result) {}
}
