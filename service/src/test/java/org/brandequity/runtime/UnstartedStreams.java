package org.brandequity.runtime;

import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A {@link KafkaStreams} on a one-step topology that is never started (its state stays CREATED),
 * for tests of the HTTP servers that report an instance's state and never reach a broker.
 */
public final class UnstartedStreams {
    private UnstartedStreams() {}

    public static KafkaStreams of(String applicationId) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        return new KafkaStreams(builder.build(), p);
    }
}
