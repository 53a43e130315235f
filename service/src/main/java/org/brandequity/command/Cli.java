package org.brandequity.command;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.brandequity.config.CommandKeys;
import picocli.CommandLine.Option;

/**
 * What a command line runs against: where it prints and the environment its
 * {@code BRANDEQUITY_*} variables come from (the process's, or a test's).
 */
public record Cli(PrintStream out, PrintStream err, Map<String, String> env) {

    /** This process's streams and environment. */
    public static Cli system() {
        return new Cli(System.out, System.err, System.getenv());
    }

    /**
     * A command that reads config: {@code --config FILE} and {@code --set KEY=VALUE}, merged with the
     * environment and the defaults by {@link CommandKeys#resolve}.
     */
    public abstract static class ConfiguredCommand implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Properties file with any of the keys `config` lists (above the defaults, below the environment).")
        Path configFile;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "One key, above every other source; repeatable.")
        Map<String, String> overrides = new LinkedHashMap<>();

        protected final Cli cli;

        protected ConfiguredCommand(Cli cli) {
            this.cli = cli;
        }

        /** The keys this command reads, with its own defaults. */
        public abstract CommandKeys keys();

        /** The values of every source above the definitions' defaults; unknown keys are refused. */
        protected Map<String, String> resolve() {
            return keys().resolve(configFile, cli.env(), overrides);
        }

        /** Every key this command reads with its effective value, as text. */
        protected Properties properties() {
            return keys().effectiveProperties(resolve());
        }
    }
}
