package org.brandequity.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The config definitions as text: docs/configuration.md's markdown tables ({@code config} command) and the
 * effective values of a command ({@code config --effective}), passwords masked.
 *
 * <p>Hand-written: {@link ConfigDef} renders HTML and reStructuredText tables, not markdown.
 */
public final class ConfigTable {
    /** Kafka's own rendering of a masked password. */
    public static final String HIDDEN = new Password("").toString();

    /** The names of Kafka client and Streams keys of type PASSWORD, masked when passed as {@code kafka.*}. */
    private static final Set<String> KAFKA_PASSWORDS = kafkaPasswordKeys();

    private ConfigTable() {}

    /** One markdown table: every defined key of {@code section}, then its families. */
    public static String markdown(ConfigSection section) {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | valid values | importance | meaning |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (ConfigDef.ConfigKey k : section.definition().configKeys().values()) {
            out.append("| `").append(k.name).append("` | ")
                    .append(k.type.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(defaultText(k)).append(" | ")
                    .append(k.validator == null ? "" : cell(k.validator.toString())).append(" | ")
                    .append(k.importance.name().toLowerCase(java.util.Locale.ROOT)).append(" | ")
                    .append(cell(k.documentation)).append(" |\n");
        }
        for (KeyFamily f : section.families()) {
            out.append("| `").append(f.pattern()).append("` | family | | | | ").append(cell(f.documentation())).append(" |\n");
        }
        return out.toString();
    }

    /**
     * {@code key=value} for every key the command reads, in definition order, then the family
     * members that are set; PASSWORD values (and Kafka's own password keys under {@code kafka.}) masked.
     */
    public static String effective(CommandKeys keys, Map<String, String> values) {
        Map<String, String> all = new LinkedHashMap<>();
        keys.effectiveProperties(values).forEach((k, v) -> all.put((String) k, (String) v));
        StringBuilder out = new StringBuilder();
        for (ConfigDef.ConfigKey k : keys.definition().configKeys().values()) {
            String v = all.remove(k.name);
            if (v == null) continue;
            out.append(k.name).append('=').append(k.type == ConfigDef.Type.PASSWORD ? HIDDEN : v).append('\n');
        }
        for (String name : new TreeSet<>(all.keySet())) {
            out.append(name).append('=').append(kafkaPassword(name) ? HIDDEN : all.get(name)).append('\n');
        }
        return out.toString();
    }

    /** Whether {@code key} is {@code kafka.} + one of Kafka's own password keys, masked like the pipeline's PASSWORD keys. */
    public static boolean isKafkaPassword(String key) {
        return kafkaPassword(key);
    }

    private static boolean kafkaPassword(String key) {
        if (!key.startsWith(PipelineKeys.KAFKA_PREFIX)) return false;
        String clientKey = key.substring(PipelineKeys.KAFKA_PREFIX.length());
        // Kafka Streams takes client keys with a prefix too: producer.ssl.key.password.
        return KAFKA_PASSWORDS.stream().anyMatch(p -> clientKey.equals(p) || clientKey.endsWith("." + p));
    }

    private static Set<String> kafkaPasswordKeys() {
        Set<String> names = new TreeSet<>();
        Stream.of(StreamsConfig.configDef(), ProducerConfig.configDef(), ConsumerConfig.configDef(), AdminClientConfig.configDef())
                .flatMap(d -> d.configKeys().values().stream())
                .filter(k -> k.type == ConfigDef.Type.PASSWORD)
                .forEach(k -> names.add(k.name));
        return names;
    }

    private static String defaultText(ConfigDef.ConfigKey k) {
        if (!k.hasDefault()) return "required";
        if (k.defaultValue == null) return "";
        String s = CommandKeys.text(k.defaultValue, k.type);
        return s.isEmpty() ? "empty" : "`" + s + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
