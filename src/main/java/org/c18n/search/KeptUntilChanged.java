package org.c18n.search;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Values derived from the views, kept in the node until the indexer reads an event that changes
 * them ({@link #forget}). The indexer reads an event after the projector has applied it, so a value
 * read afterwards is the new one; one read while a change came is used once and not kept. Every
 * value is read again after 30 s in any case (an indexer lagging behind, or in OpenSearch mode
 * another node's indexer reading the change). Beyond {@code capacity} values the cache starts over.
 */
final class KeptUntilChanged<K, V> {
    private static final long MAX_AGE_NANOS = 30_000_000_000L;

    /** When a read began: the changes counted so far, and the time. */
    record Reading(long changes, long at) {}

    private record Kept<V>(V value, long readAt) {}

    private final Map<K, Kept<V>> kept = new ConcurrentHashMap<>();
    /** Raised by every change, so that values read across a change are not kept. */
    private final AtomicLong changes = new AtomicLong();
    private final int capacity;

    KeptUntilChanged(int capacity) {
        this.capacity = capacity;
    }

    /** The value kept for {@code key}, or null when there is none or it is too old. */
    V get(K key) {
        Kept<V> k = kept.get(key);
        return k != null && System.nanoTime() - k.readAt() < MAX_AGE_NANOS ? k.value() : null;
    }

    /** Call before reading the values to keep. */
    Reading reading() {
        return new Reading(changes.get(), System.nanoTime());
    }

    /** Keeps a value read since {@code reading}, unless a change came meanwhile. */
    void keep(Reading reading, K key, V value) {
        if (kept.size() >= capacity) {
            kept.clear();
        }
        Kept<V> entry = new Kept<>(value, reading.at());
        kept.put(key, entry);
        if (changes.get() != reading.changes()) {
            kept.remove(key, entry);
        }
    }

    void forget(K key) {
        changes.incrementAndGet();
        kept.remove(key);
    }

    void forgetAll() {
        changes.incrementAndGet();
        kept.clear();
    }
}
