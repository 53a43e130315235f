package org.brandequity.cluster;

import java.util.HashMap;
import java.util.Map;
import org.brandequity.config.PipelineConfig;

/** Client settings for this deployment's Kafka cluster, shared by every producer the service and its tools create. */
public final class ClientProperties {
    private ClientProperties() {}

    /** Producer settings for clients of this cluster: the {@code kafka.*} keys and the bootstrap servers. */
    public static Map<String, Object> producer(PipelineConfig config) {
        Map<String, Object> p = new HashMap<>();
        config.kafka().forEach((k, v) -> p.put(k.toString(), v));
        p.put("bootstrap.servers", config.bootstrapServers());
        return p;
    }
}
