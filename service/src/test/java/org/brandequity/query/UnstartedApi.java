package org.brandequity.query;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.brandequity.config.PipelineConfig;

/**
 * A query API on a Kafka Streams client that is never started but reports RUNNING: routing,
 * authentication and parameter checks decide, and any request that gets as far as a store is a 503.
 * For the tests of what the API answers before it reads anything.
 */
public final class UnstartedApi implements AutoCloseable {
    private final KafkaStreams streams;
    private final QueryApi api;

    /** With the default config and {@code settings} (api.port is always 0: a free port). */
    public UnstartedApi(String applicationId, Map<String, String> settings) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        streams = new KafkaStreams(builder.build(), p) {
            @Override
            public State state() {
                return State.RUNNING;
            }
        };
        Map<String, String> all = new HashMap<>(settings);
        all.put("api.port", "0");
        PipelineConfig config = PipelineConfig.defaults().with(all);
        api = QueryApi.bind(config.api(), config.http());
        api.start(streams, config.with(Map.of("api.port", Integer.toString(api.port()))));
    }

    public String url() {
        return "http://127.0.0.1:" + api.port();
    }

    @Override
    public void close() {
        api.close();
        streams.close();
    }
}
