package org.brandequity.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueStore;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.CustomerPane;

/**
 * One task's customer ledger store with the decoded ledgers of its most recently used customers kept
 * in front of it, so that an event of a customer seen lately costs no RocksDB read and no decode.
 * Write-through: every {@link #put} writes the store (and so its changelog) at once, as before, and
 * the object in the cache is the one just written, so the store and the cache never differ while the
 * task runs. Every processor of the task that touches the ledger store reads and writes it through
 * this one object ({@link Registry}).
 *
 * <p>Why hand-written: Kafka Streams' record cache ({@code withCachingEnabled()}) keeps serialized
 * bytes, so every read still decodes the whole ledger, and it defers writes to the commit, which
 * saves nothing when a customer's events are further apart than the commit interval. The profile
 * put the ledger's RocksDB read and its decode at a third of the stream threads' time
 * (docs/benchmark.md, "Where the time goes").
 *
 * <p>What keeps it exact:
 * <ul>
 *   <li>Interactive queries never see it: they read the store, which holds exactly what the cache
 *       holds, and the cache's mutable objects stay on the stream thread.</li>
 *   <li>It is emptied whenever a processor of the task is initialised or closed: after a
 *       restoration, a rebalance, or an exactly-once abort (the task is closed dirty and revived,
 *       its state re-read from the changelog), nothing decoded before is trusted.</li>
 *   <li>A processor that mutates a cached ledger and then fails before its {@link #put} calls
 *       {@link #forget}, so that a skipped (dead-lettered) record leaves no trace in memory that
 *       the store does not have.</li>
 * </ul>
 *
 * <p>Bounded by {@code ledger.cache.max.bytes} per instance, shared evenly by the topic's partitions:
 * the least recently used ledgers leave first. The size of a decoded ledger is estimated from what
 * it holds ({@link #estimatedBytes}), not measured.
 */
final class CustomerLedgerCache {
    private KeyValueStore<String, CustomerLedger> store;
    private final long maxBytes;
    private final Map<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    private record Entry(CustomerLedger ledger, int bytes) {}

    CustomerLedgerCache(KeyValueStore<String, CustomerLedger> store, long maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** The customer's ledger, or null if the store has none. The object may be shared with later reads: write it back with {@link #put}. */
    CustomerLedger get(String customer) {
        Entry e = entries.get(customer);
        if (e != null) {
            hits++;
            return e.ledger;
        }
        misses++;
        CustomerLedger ledger = store.get(customer);
        if (ledger != null) remember(customer, ledger);
        return ledger;
    }

    /** Writes the ledger to the store, or deletes the customer's when {@code ledger} is null. */
    void put(String customer, CustomerLedger ledger) {
        store.put(customer, ledger);
        if (ledger == null) forget(customer);
        else remember(customer, ledger);
    }

    /** Drops the customer's decoded ledger: the next read goes to the store. */
    void forget(String customer) {
        Entry old = entries.remove(customer);
        if (old != null) bytes -= old.bytes;
    }

    private void clear() {
        entries.clear();
        bytes = 0;
    }

    /** The store itself, for scans (which see exactly what the cache holds). */
    KeyValueStore<String, CustomerLedger> store() {
        return store;
    }

    long hits() {
        return hits;
    }

    long misses() {
        return misses;
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return entries.size();
    }

    private void remember(String customer, CustomerLedger ledger) {
        if (maxBytes <= 0) return;
        int size = estimatedBytes(customer, ledger);
        Entry old = entries.put(customer, new Entry(ledger, size));
        bytes += size - (old == null ? 0 : old.bytes);
        var it = entries.values().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            bytes -= it.next().bytes;
            it.remove();
        }
    }

    /**
     * The heap a decoded ledger takes, roughly: a fixed part for the ledger, its lists and strings,
     * plus each remembered id, pane, answer tally and recent interaction, in the sizes a 64-bit JVM
     * with compressed references gives their objects (headers, fields, the id's String and bytes).
     */
    static int estimatedBytes(String customer, CustomerLedger ledger) {
        int size = 320 + 2 * customer.length();
        size += ledger.getSeen().size() * 96;
        for (CustomerPane p : ledger.getPanes()) size += 200 + p.getAggregate().getTouchpointResponses().size() * 120;
        size += ledger.getRecent().size() * 40;
        if (ledger.getEquity() != null) size += 40;
        if (ledger.getOpenAlert() != null) size += 160;
        return size;
    }

    /**
     * The caches of one running topology, one per task, shared by the processors of that task. The
     * map is touched only when a processor is initialised or closed; each cache is used by its
     * task's stream thread alone.
     */
    static final class Registry {
        private final long maxBytesPerTask;
        private final Map<TaskId, CustomerLedgerCache> byTask = new ConcurrentHashMap<>();

        /** {@code maxBytes} for the whole instance, shared evenly by {@code tasks} tasks. */
        Registry(long maxBytes, int tasks) {
            this.maxBytesPerTask = maxBytes / Math.max(1, tasks);
        }

        /**
         * The task's cache over {@code store}, empty: called from every processor's {@code init}, so
         * that whatever was decoded before a restoration or a revival is dropped.
         */
        CustomerLedgerCache open(TaskId task, KeyValueStore<String, CustomerLedger> store) {
            CustomerLedgerCache cache = byTask.computeIfAbsent(task, t -> new CustomerLedgerCache(store, maxBytesPerTask));
            // One cache for every processor of the task, whichever opened it first, emptied. Each
            // processor gets its own wrapper of the same store from Kafka Streams: any of them will do.
            cache.clear();
            cache.store = store;
            return cache;
        }

        /** The task is closing: its cache goes. */
        void close(TaskId task) {
            byTask.remove(task);
        }
    }
}
