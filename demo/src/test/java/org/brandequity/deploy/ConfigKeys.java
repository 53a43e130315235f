package org.brandequity.deploy;

import org.brandequity.demo.DemoMain;

/**
 * The config keys the application really reads, so deployment files cannot set a key that is
 * silently ignored: the keys the broadest command ({@code demo}) defines, the kafka.* pass-through
 * and the numbered simulator incidents, as the command line itself decides
 * ({@link org.brandequity.config.CommandKeys}).
 */
final class ConfigKeys {
    private ConfigKeys() {}

    /** True when the application reads {@code key}. */
    static boolean known(String key) {
        return key != null && DemoMain.DEMO_KEYS.known(key);
    }

    /** The key a BRANDEQUITY_* variable sets, looked up as the command line does; null when none. */
    static String keyOfEnv(String variable) {
        return DemoMain.DEMO_KEYS.keyOfEnv(variable).orElse(null);
    }
}
