package org.brandequity.topology;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Opt-in bound on the off-heap memory of every RocksDB store of this instance: one LRU block cache
 * shared by all stores (index and filter blocks included), with the memtables charged against it,
 * as in the Kafka Streams memory-management guide. Without it each store instance (and each segment
 * of a windowed store) gets its own block cache and write buffers, so native memory grows with the
 * number of partitions and segments.
 *
 * <p>Enable with {@code kafka.rocksdb.config.setter=org.brandequity.topology.BoundedMemoryRocksDBConfig};
 * size with {@code kafka.rocksdb.bounded.memory.bytes} (default 128 MiB) and
 * {@code kafka.rocksdb.bounded.memtable.share} (default 0.5, the share of it memtables may use).
 * The cache is per JVM: the first store configured sizes it.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {
    public static final String MEMORY_BYTES = "rocksdb.bounded.memory.bytes";
    public static final String MEMTABLE_SHARE = "rocksdb.bounded.memtable.share";
    static final long DEFAULT_MEMORY_BYTES = 128L * 1024 * 1024;
    static final double DEFAULT_MEMTABLE_SHARE = 0.5;

    private static Cache cache;
    private static WriteBufferManager writeBufferManager;

    private static synchronized void init(Map<String, Object> configs) {
        if (cache != null) return;
        long total = configs.containsKey(MEMORY_BYTES)
                ? Long.parseLong(configs.get(MEMORY_BYTES).toString().trim()) : DEFAULT_MEMORY_BYTES;
        double share = configs.containsKey(MEMTABLE_SHARE)
                ? Double.parseDouble(configs.get(MEMTABLE_SHARE).toString().trim()) : DEFAULT_MEMTABLE_SHARE;
        if (total <= 0 || !(share > 0 && share < 1)) {
            throw new IllegalArgumentException(MEMORY_BYTES + " must be > 0 and " + MEMTABLE_SHARE + " in (0, 1)");
        }
        // -1: default shard count; false: no strict limit (an insert beyond it does not fail); 0.1 for
        // index and filter blocks at high priority.
        cache = new LRUCache(total, -1, false, 0.1);
        writeBufferManager = new WriteBufferManager((long) (total * share), cache);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        init(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(writeBufferManager);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write-buffer manager are shared by every store of the JVM: never closed here.
    }
}
