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
 * all views; and {@link #replay} hands every view that was at the same place with the same
 * snapshot the same result, so 1,000 views woken by one delivery replay it once and then share
 * one snapshot list (memory stays shared, as it was when they opened).
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
    /** The last replay any view made, for the next view that stood where it stood. */
    private volatile Replayed last;

    private record Replayed(List<MessageRef> from, long start, long stop, ViewReplay.Result result) {}

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
     * to {@code stop} (exclusive), which {@link #take} returned, over {@code snapshot}. A view that
     * stood at {@code start} with the very same snapshot list as the view before it, and made none
     * of the changes itself, gets that view's result (the same snapshot list, the same changes).
     */
    public ViewReplay.Result replay(List<MessageRef> snapshot, long start, long stop, List<FolderEvent> evs,
                                    Object self) {
        if (evs.isEmpty()) return new ViewReplay.Result(snapshot, Mailbox.Changes.NONE);
        boolean own = false;
        for (FolderEvent e : evs) {
            if (e instanceof FolderEvent.Changed c && c.origin() == self) {
                own = true;
                break;
            }
        }
        Replayed r = last;
        if (!own && r != null && r.from == snapshot && r.start == start && r.stop == stop) return r.result;
        ViewReplay.Result result = ViewReplay.replay(snapshot, evs, self);
        // XXX a view's own flag changes are silent for it alone: such a result is not shared
        if (!own) last = new Replayed(snapshot, start, stop, result);
        return result;
    }
}
