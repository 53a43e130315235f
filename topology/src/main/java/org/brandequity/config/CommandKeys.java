package org.brandequity.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The keys one command reads (its {@link ConfigSection}s merged) and its own defaults, and how its
 * configuration is assembled from every source. Precedence, later winning:
 * <ol>
 *   <li>the defaults of the {@link ConfigDef}s,</li>
 *   <li>the command's own defaults (the demo's short windows),</li>
 *   <li>{@code --config FILE},</li>
 *   <li>{@code BRANDEQUITY_*} environment variables,</li>
 *   <li>{@code --set key=value}.</li>
 * </ol>
 * A key from any source that the command does not read is an error naming the source, with the
 * closest known key as a suggestion: a typo is reported at start, never silently ignored.
 *
 * <p>Environment: a variable names a key in upper case, {@code .} written {@code _} and {@code -}
 * written {@code __} ({@link #envOf}). It is looked up among the env forms of the defined keys, so
 * {@code BRANDEQUITY_MODEL_TOUCHPOINT_SUPPORT_CONTACT_WEIGHT} finds
 * {@code model.touchpoint.SUPPORT_CONTACT.weight}; a variable of a family maps by the family's own
 * rule ({@code BRANDEQUITY_KAFKA_SECURITY_PROTOCOL} to {@code kafka.security.protocol}).
 */
public final class CommandKeys {
    public static final String ENV_PREFIX = "BRANDEQUITY_";

    private final List<ConfigSection> sections;
    private final ConfigDef definition;
    private final List<KeyFamily> families;
    private final Map<String, String> commandDefaults;
    private final Map<String, String> keyByEnv = new HashMap<>();

    private CommandKeys(List<ConfigSection> sections, Map<String, String> commandDefaults) {
        this.sections = List.copyOf(sections);
        this.definition = new ConfigDef();
        List<KeyFamily> all = new ArrayList<>();
        for (ConfigSection s : sections) {
            s.definition().configKeys().values().forEach(definition::define); // define() refuses a key defined twice
            all.addAll(s.families());
        }
        this.families = List.copyOf(all);
        this.commandDefaults = Map.copyOf(commandDefaults);
        for (String key : definition.names()) {
            String previous = keyByEnv.put(envOf(key), key);
            if (previous != null) {
                throw new IllegalStateException("config keys " + previous + " and " + key + " share the variable " + envOf(key));
            }
        }
        for (String key : this.commandDefaults.keySet()) {
            if (!known(key)) throw new IllegalStateException("command default for unknown key " + key);
        }
    }

    public static CommandKeys of(ConfigSection... sections) {
        return new CommandKeys(List.of(sections), Map.of());
    }

    /** These keys plus {@code more}'s. */
    public CommandKeys plus(ConfigSection... more) {
        return new CommandKeys(Stream.concat(sections.stream(), Stream.of(more)).toList(), commandDefaults);
    }

    /** The same keys with the command's own defaults, which sit between the definitions' defaults and the file. */
    public CommandKeys withCommandDefaults(Map<String, String> defaults) {
        return new CommandKeys(sections, defaults);
    }

    public List<ConfigSection> sections() {
        return sections;
    }

    public ConfigDef definition() {
        return definition;
    }

    public List<KeyFamily> families() {
        return families;
    }

    public Map<String, String> commandDefaults() {
        return commandDefaults;
    }

    /** Whether the command reads {@code key}: a defined key or a member of a family. */
    public boolean known(String key) {
        return definition.names().contains(key) || families.stream().anyMatch(f -> f.contains(key));
    }

    /** {@code window.size} → {@code BRANDEQUITY_WINDOW_SIZE}; {@code -} is written {@code __}. */
    public static String envOf(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }

    /**
     * The key a {@code BRANDEQUITY_*} variable sets: the defined key of that env form, else a
     * family member by the family's rule, else empty.
     */
    public Optional<String> keyOfEnv(String variable) {
        if (!variable.startsWith(ENV_PREFIX)) return Optional.empty();
        String key = keyByEnv.get(variable);
        if (key != null) return Optional.of(key);
        for (KeyFamily f : families) {
            String familyEnv = envOf(f.prefix()); // ends with "_"
            if (variable.startsWith(familyEnv) && variable.length() > familyEnv.length()) {
                String candidate = f.prefix() + f.suffixOfEnv().apply(variable.substring(familyEnv.length()));
                if (f.contains(candidate)) return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The raw values of every source above the definitions' defaults, merged in precedence order,
     * after checking that each source sets only keys this command reads.
     *
     * @param file      {@code --config FILE}, or null
     * @param env       the process environment; only {@code BRANDEQUITY_*} variables are read
     * @param overrides {@code --set key=value}
     * @throws ConfigException one line naming the unknown key, its source and the closest known key
     */
    public Map<String, String> resolve(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(commandDefaults);
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e);
            }
            for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
                requireKnown(key, "--config " + file);
                merged.put(key, p.getProperty(key));
            }
        }
        env.keySet().stream().filter(v -> v.startsWith(ENV_PREFIX)).sorted().forEach(variable -> {
            String key = keyOfEnv(variable).orElseThrow(() -> unknownVariable(variable));
            merged.put(key, env.get(variable));
        });
        overrides.forEach((key, value) -> {
            requireKnown(key, "--set");
            merged.put(key, value);
        });
        return merged;
    }

    /**
     * Every defined key with its default as text, overlaid with {@code values}: what components
     * that read raw properties (the demo's status line, the simulator) see.
     */
    public Properties effectiveProperties(Map<String, String> values) {
        Properties p = new Properties();
        definition.configKeys().forEach((name, key) -> {
            if (key.hasDefault() && key.defaultValue != null) p.setProperty(name, text(key.defaultValue, key.type));
        });
        values.forEach(p::setProperty);
        return p;
    }

    /** A parsed value as it is written in a file; a password's real value (defaults are no secret). */
    static String text(Object value, ConfigDef.Type type) {
        return value instanceof org.apache.kafka.common.config.types.Password p ? p.value() : ConfigDef.convertToString(value, type);
    }

    /**
     * Parses and validates {@code values} against the merged definition; keys it does not define
     * are left to their readers (kafka.*, families).
     *
     * @throws IllegalArgumentException naming the key, for a value of the wrong type or out of range
     */
    public AbstractConfig parse(Map<String, ?> values) {
        return parse(definition, values);
    }

    /** {@link ConfigDef#parse} through {@link AbstractConfig}, its errors as {@link IllegalArgumentException}. */
    public static AbstractConfig parse(ConfigDef definition, Map<String, ?> values) {
        try {
            return new AbstractConfig(definition, values, false);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * @throws ConfigException naming {@code key}, {@code source} and the closest known key, unless
     *     the command reads {@code key}
     */
    public void requireKnown(String key, String source) {
        if (known(key)) return;
        throw new ConfigException("unknown config key '" + key + "' (from " + source + ")"
                + closest(key, definition.names().stream().toList()).map(k -> "; did you mean '" + k + "'?").orElse(""));
    }

    private ConfigException unknownVariable(String variable) {
        List<String> envForms = new ArrayList<>(keyByEnv.keySet());
        return new ConfigException("unknown config variable " + variable + " (from the environment)"
                + closest(variable, envForms).map(v -> "; did you mean " + v + " (" + keyByEnv.get(v) + ")?").orElse(""));
    }

    /** The candidate nearest to {@code typo} by edit distance, if it is near enough to be a typo of it. */
    static Optional<String> closest(String typo, List<String> candidates) {
        int threshold = Math.max(2, typo.length() / 4);
        LevenshteinDistance distance = new LevenshteinDistance(threshold);
        return candidates.stream()
                .filter(c -> distance.apply(typo, c) >= 0)
                .min(Comparator.comparingInt((String c) -> distance.apply(typo, c)).thenComparing(c -> c));
    }
}
