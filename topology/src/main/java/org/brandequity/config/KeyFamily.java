package org.brandequity.config;

import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A documented family of keys that cannot be listed one by one: {@code prefix} followed by a
 * suffix that {@code suffixValid} accepts, e.g. {@code kafka.<any client key>} or
 * {@code simulator.incident.<n>}.
 *
 * @param prefix        the keys' common start, ending with a dot
 * @param placeholder   how the suffix is written in the docs, e.g. {@code <n>}
 * @param suffixValid   which suffixes belong to the family
 * @param suffixOfEnv   the key suffix a {@code BRANDEQUITY_<PREFIX>_<SUFFIX>} variable sets, from its {@code SUFFIX}
 * @param documentation one line for the config table
 */
public record KeyFamily(String prefix, String placeholder, Predicate<String> suffixValid,
                        UnaryOperator<String> suffixOfEnv, String documentation) {

    public KeyFamily {
        if (!prefix.endsWith(".")) throw new IllegalArgumentException("a family prefix ends with '.': " + prefix);
    }

    /** Whether {@code key} is a member of this family. */
    public boolean contains(String key) {
        return key.startsWith(prefix) && suffixValid.test(key.substring(prefix.length()));
    }

    /** The key as written in the docs, e.g. {@code simulator.incident.<n>}. */
    public String pattern() {
        return prefix + placeholder;
    }
}
