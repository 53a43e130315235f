package org.brandequity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.brandequity.avro.internal.CustomerLedger;
import org.brandequity.avro.internal.SeenEvent;
import org.brandequity.wire.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

/** The decoded-ledger cache in front of the ledger store: write-through, bounded, one per task. */
class CustomerLedgerCacheTest {
    private final AppSerdes serdes = new AppSerdes(new InMemorySchemaRegistry());
    private final KeyValueStore<String, CustomerLedger> store = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore("ledgers"), serdes.string(), serdes.customerLedger()).withLoggingDisabled().build();

    CustomerLedgerCacheTest() {
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    private static CustomerLedger ledger(String segment) {
        CustomerLedger l = CustomerLedgers.empty();
        l.setSegment(segment);
        return l;
    }

    @Test
    void aSecondReadOfACustomerIsTheObjectDecodedByTheFirst() {
        store.put("a", ledger("broad-base"));
        CustomerLedgerCache cache = new CustomerLedgerCache(store, 1 << 20);
        CustomerLedger first = cache.get("a");
        assertSame(first, cache.get("a"));
        assertEquals(1, cache.hits());
        assertEquals(1, cache.misses());
    }

    @Test
    void aWriteReachesTheStoreAtOnce() {
        CustomerLedgerCache cache = new CustomerLedgerCache(store, 1 << 20);
        cache.put("a", ledger("high-value"));
        assertEquals("high-value", store.get("a").getSegment());
        cache.put("a", null);
        assertNull(store.get("a"));
        assertNull(cache.get("a"));
    }

    @Test
    void aForgottenLedgerIsReadAgainFromTheStoreWithoutWhatWasDoneToItInMemory() {
        store.put("a", ledger("broad-base"));
        CustomerLedgerCache cache = new CustomerLedgerCache(store, 1 << 20);
        cache.get("a").getSeen().add(new SeenEvent("e1", 1L)); // a processor failed before writing it back
        cache.forget("a");
        assertTrue(cache.get("a").getSeen().isEmpty());
    }

    @Test
    void theLeastRecentlyUsedLedgersLeaveWhenTheBudgetIsSpent() {
        int one = CustomerLedgerCache.estimatedBytes("a", ledger("s"));
        CustomerLedgerCache cache = new CustomerLedgerCache(store, 2L * one);
        cache.put("a", ledger("s"));
        cache.put("b", ledger("s"));
        cache.get("a"); // b is now the least recently used
        cache.put("c", ledger("s"));
        assertEquals(2, cache.size());
        assertTrue(cache.bytes() <= 2L * one);
        long misses = cache.misses();
        cache.get("a");
        assertEquals(misses, cache.misses(), "a stayed");
        cache.get("b");
        assertEquals(misses + 1, cache.misses(), "b left and is read from the store again");
    }

    @Test
    void aZeroBudgetKeepsNothingAndEveryReadGoesToTheStore() {
        CustomerLedgerCache cache = new CustomerLedgerCache(store, 0);
        cache.put("a", ledger("s"));
        cache.get("a");
        cache.get("a");
        assertEquals(0, cache.size());
        assertEquals(2, cache.misses());
    }

    @Test
    void everyProcessorOfATaskGetsTheSameCacheEmptiedWhenAnyOfThemOpensIt() {
        CustomerLedgerCache.Registry registry = new CustomerLedgerCache.Registry(1 << 20, 2);
        TaskId task = new TaskId(0, 1);
        CustomerLedgerCache first = registry.open(task, store);
        store.put("a", ledger("s"));
        first.get("a");
        CustomerLedgerCache second = registry.open(task, store);
        assertSame(first, second);
        assertEquals(0, second.size(), "opened again (restoration, revival): nothing decoded before is kept");
        registry.close(task);
        assertTrue(registry.open(task, store) != first, "a closed task's cache is gone");
    }
}
