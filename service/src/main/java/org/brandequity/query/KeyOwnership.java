package org.brandequity.query;

import java.util.List;
import java.util.function.IntFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.brandequity.topology.PipelineStores.Keyed;
import org.brandequity.topology.PipelineStores;

/**
 * Which instance answers a query (the metadata side of interactive queries): each instance holds
 * the active state of some partitions only. A query for one key is {@link Local} when this instance
 * owns the key's partition, else {@link Remote} with the owner's {@code application.server}. While
 * ownership is moving (rebalance, dead owner not yet noticed) it throws {@link Unavailable}: the data
 * is not lost, only not servable yet.
 */
final class KeyOwnership {
    private final KafkaStreams streams;
    private final PipelineStores stores;
    private final HostInfo self;

    KeyOwnership(KafkaStreams streams, PipelineStores stores, HostInfo self) {
        this.streams = streams;
        this.stores = stores;
        this.self = self;
    }

    /** Where a keyed query is answered. */
    sealed interface Located permits Local, Remote {}

    /** Answered from this instance's stores: {@code value} is ready to render as JSON. */
    record Local(Object value) implements Located {}

    /** Owned by another instance, which must be asked. */
    record Remote(HostInfo owner) implements Located {}

    HostInfo self() {
        return self;
    }

    /** @throws Unavailable unless Kafka Streams is RUNNING, the only state in which stores are queryable */
    void requireRunning() {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new Unavailable("Kafka Streams is " + state + "; state stores are not queryable until RUNNING");
        }
    }

    /** {@code local} applied to the key's partition when this instance owns it, else the owner to ask. */
    Located locate(Keyed store, String key, IntFunction<Object> local) {
        KeyQueryMetadata owner = stores.ownerOf(store, key);
        if (owner == null || owner.activeHost().equals(HostInfo.unavailable())) {
            throw new Unavailable("no instance owns " + store.storeName() + " for this key yet");
        }
        if (owner.activeHost().equals(self)) return new Local(local.apply(owner.partition()));
        return new Remote(owner.activeHost());
    }

    /** Every instance with active tasks of {@code store}: the parts of a cluster-wide list. */
    List<HostInfo> instances(Keyed store) {
        return stores.instancesServing(store);
    }
}
