package org.brandequity.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.cluster.BrokerAccessException;
import org.brandequity.cluster.BrokerErrors;
import org.brandequity.cluster.BrokerPreflight;
import org.brandequity.cluster.DeploymentAcls;
import org.brandequity.cluster.SchemaRegistries;
import org.brandequity.command.Cli;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.ConfigSection;
import org.brandequity.config.ConfigTable;
import org.brandequity.config.PipelineConfig;
import org.brandequity.config.PipelineKeys;
import org.brandequity.http.HttpServers;
import org.brandequity.metrics.MetricsServer;
import org.brandequity.query.QueryApi;
import org.brandequity.runtime.OutputWatcher;
import org.brandequity.runtime.Pipeline;
import org.brandequity.topology.AppSerdes;
import org.brandequity.topology.BrandEquityTopology;
import org.brandequity.wire.SchemaRegistryClient;
import org.brandequity.wire.SchemaRegistryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Command line of the production artifact: {@code run}, {@code topology}, {@code config}, {@code acls},
 * {@code ingest}, {@code import}. The demo artifact adds its own commands to the same command line
 * ({@link #commandLine}).
 *
 * <p>Exit status: 0 done, 1 failure (the pipeline died, or it cannot use its Kafka cluster or its
 * schema registry: one line naming why, see {@link BrokerErrors}), 2 usage or config error (one line);
 * {@code import} adds 3 (some rows were rejected).
 */
@Command(name = "brand-equity.jar", sortOptions = false,
        description = "Brand equity streaming pipeline.",
        footer = {"", "Config, later sources winning: defaults < the command's own defaults < --config FILE"
                + " < BRANDEQUITY_* environment variables < --set KEY=VALUE.",
                "Variables: BRANDEQUITY_ + the key in upper case, '.' as '_' and '-' as '__' (BRANDEQUITY_WINDOW_SIZE=30m).",
                "A key the command does not read is an error. `config` lists every key."})
public final class Main {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help and exit.")
    boolean help;

    private Main() {}

    public static void main(String[] args) {
        // First, before any Avro class checks a length: Avro reads its limits once (issue 21).
        org.brandequity.wire.AvroLimits.apply();
        System.exit(commandLine("brand-equity.jar", Cli.system()).execute(args));
    }

    /**
     * The command line with {@code run}, {@code topology}, {@code config}, {@code ingest} and {@code more}
     * subcommands, printing to {@code cli}'s streams and reading its environment.
     */
    public static CommandLine commandLine(String name, Cli cli, Cli.ConfiguredCommand... more) {
        CommandLine cl = new CommandLine(new Main())
                .setCommandName(name)
                .addSubcommand(new Run(cli))
                .addSubcommand(new Topology(cli))
                .addSubcommand(new ConfigCommand(cli))
                .addSubcommand(new Acls(cli))
                .addSubcommand(new org.brandequity.ingest.IngestCommand(cli))
                .addSubcommand(new org.brandequity.ingest.ImportCommand(cli));
        for (Cli.ConfiguredCommand command : more) cl.addSubcommand(command);
        // Set after every subcommand is added: picocli passes them down to the existing ones only.
        cl.setOut(new java.io.PrintWriter(cli.out(), true));
        cl.setErr(new java.io.PrintWriter(cli.err(), true));
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
                command.getErr().println("error: " + String.valueOf(e.getMessage()).replace('\n', ' '));
                return CommandLine.ExitCode.USAGE;
            }
            if (e instanceof SchemaRegistryException) {
                // Its message names the registry URL (never its credentials), the subject and what to set.
                command.getErr().println("error: " + String.valueOf(e.getMessage()).replace('\n', ' '));
                return CommandLine.ExitCode.SOFTWARE;
            }
            if (e instanceof BrokerAccessException) {
                // Credentials, certificates, ACLs or the address: one line says which; the stack trace adds nothing.
                command.getErr().println("error: " + e.getMessage());
                return CommandLine.ExitCode.SOFTWARE;
            }
            throw e;
        });
        return cl;
    }

    @Command(name = "run", description = "Run the pipeline against bootstrap.servers and schema.registry.url.")
    static final class Run extends Cli.ConfiguredCommand {
        Run(Cli cli) {
            super(cli);
        }

        @Override
        public CommandKeys keys() {
            return PipelineKeys.KEYS;
        }

        @Override
        public Integer call() throws Exception {
            return runPipeline(PipelineConfig.fromMap(resolve()), cli.out(), cli.err());
        }
    }

    @Command(name = "topology", description = "Print the Kafka Streams topology description and exit.")
    static final class Topology extends Cli.ConfiguredCommand {
        Topology(Cli cli) {
            super(cli);
        }

        @Override
        public CommandKeys keys() {
            return PipelineKeys.KEYS;
        }

        @Override
        public Integer call() {
            PipelineConfig config = PipelineConfig.fromMap(resolve());
            cli.out().println(BrandEquityTopology.build(config, new AppSerdes(SchemaRegistries.fromConfig(config))).describe());
            return 0;
        }
    }

    @Command(name = "config",
            description = {"Print every config key of a command with its type, default, valid values and meaning,"
                    + " as the markdown table of docs/configuration.md.",
                    "With --effective: the value of each key the command would run with, from every source, passwords masked."})
    static final class ConfigCommand extends Cli.ConfiguredCommand {
        @Option(names = "--for", paramLabel = "COMMAND", defaultValue = "run",
                description = "The command whose keys to print (default: ${DEFAULT-VALUE}).")
        String target;

        @Option(names = "--effective", description = "Print the effective values instead of the table.")
        boolean effective;

        @Spec
        CommandLine.Model.CommandSpec spec;

        ConfigCommand(Cli cli) {
            super(cli);
        }

        @Override
        public CommandKeys keys() {
            CommandLine sibling = spec.parent().subcommands().get(target);
            if (sibling == null || !(sibling.getCommand() instanceof Cli.ConfiguredCommand c) || c == this) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--for: no command '" + target + "' that reads config; one of "
                        + spec.parent().subcommands().keySet().stream().filter(n -> !n.equals("config")).toList());
            }
            return c.keys();
        }

        @Override
        public Integer call() {
            CommandKeys keys = keys();
            if (effective) {
                cli.out().print(ConfigTable.effective(keys, resolve()));
                return 0;
            }
            List<ConfigSection> sections = keys.sections();
            for (ConfigSection s : sections) {
                if (sections.size() > 1) cli.out().printf("%n%s keys%n%n", s.name());
                cli.out().print(ConfigTable.markdown(s));
            }
            return 0;
        }
    }

    @Command(name = "acls",
            description = {"Print the kafka-acls.sh commands that give a deployment exactly what it needs on a cluster with an"
                    + " authorizer: the pipeline's principal, and optionally the principal producing its input and a downstream reader.",
                    "Topic names and the application id come from the same config as `run`."})
    static final class Acls extends Cli.ConfiguredCommand {
        @Option(names = "--principal", required = true, paramLabel = "PRINCIPAL",
                description = "The pipeline's principal (User:name, or a bare name meaning User:name).")
        String principal;

        @Option(names = "--simulator-principal", paramLabel = "PRINCIPAL",
                description = "A principal that writes the input topics (the simulator, an ingestion service).")
        String producerPrincipal;

        @Option(names = "--downstream-principal", paramLabel = "PRINCIPAL",
                description = "A principal that reads the output topics.")
        String downstreamPrincipal;

        @Option(names = "--downstream-group", paramLabel = "PREFIX",
                description = "Prefix of the downstream reader's consumer groups (default: its principal's name).")
        String downstreamGroup;

        @Option(names = "--topics-precreated",
                description = "The topics are created beforehand: no Create for the pipeline on its own topics.")
        boolean topicsPrecreated;

        @Option(names = "--command-config", paramLabel = "FILE", defaultValue = "admin.properties",
                description = "The admin's client properties file, as written into each line (default: ${DEFAULT-VALUE}).")
        String commandConfig;

        Acls(Cli cli) {
            super(cli);
        }

        @Override
        public CommandKeys keys() {
            return PipelineKeys.KEYS;
        }

        @Override
        public Integer call() {
            PipelineConfig config = PipelineConfig.fromMap(resolve());
            String bootstrap = config.bootstrapServers();
            print("# the pipeline, " + DeploymentAcls.principal(principal) + " (application.id " + config.applicationId() + ")",
                    DeploymentAcls.pipeline(config, principal, !topicsPrecreated), bootstrap);
            if (producerPrincipal != null) {
                print("# the producer of the input topics, " + DeploymentAcls.principal(producerPrincipal),
                        DeploymentAcls.producer(config, producerPrincipal), bootstrap);
            }
            if (downstreamPrincipal != null) {
                String principalName = DeploymentAcls.principal(downstreamPrincipal);
                String group = downstreamGroup != null ? downstreamGroup : principalName.substring(principalName.indexOf(':') + 1);
                print("# a downstream reader of the output topics, " + principalName + " (consumer groups " + group + "*)",
                        DeploymentAcls.downstream(config, downstreamPrincipal, group), bootstrap);
            }
            return 0;
        }

        private void print(String heading, List<org.apache.kafka.common.acl.AclBinding> acls, String bootstrap) {
            cli.out().println(heading);
            DeploymentAcls.kafkaAclsLines(acls, bootstrap, commandConfig).forEach(cli.out()::println);
        }
    }

    static int runPipeline(PipelineConfig config, PrintStream out, PrintStream err) throws Exception {
        // Before Kafka Streams starts, each ending the command here in one line: a bind beyond this
        // machine without credentials, the query API's keystore, a port already in use (exit 2),
        // whether the Kafka cluster can be used (exit 1), then the schema registry (its credentials,
        // its certificate, the output schemas; exit 1).
        MetricsServer.requireCredentials(config.metrics());
        if (config.api().enabled()) {
            QueryApi.requireCredentials(config.api());
            QueryApi.tls(config.api());
            HttpServers.requireFree(config.api().host(), config.api().port(), PipelineKeys.API_PORT_CONFIG);
        }
        HttpServers.requireFree(config.metrics().host(), config.metrics().port(), PipelineKeys.METRICS_PORT_CONFIG);
        try (SchemaRegistryClient registry = SchemaRegistries.fromConfig(config)) {
            BrokerPreflight.check(config, BrandEquityTopology.build(config, new AppSerdes(registry)).describe());
            Pipeline.registerOutputSchemas(registry, config.topics());
        }
        Pipeline pipeline = new Pipeline(config);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "shutdown"));
        // The watcher reads the output topics so this instance's endpoint exports the brand-level
        // gauges (equity, segments, touchpoints) that the dashboards and alerts use.
        try (SchemaRegistryClient registry = SchemaRegistries.fromConfig(config);
             OutputWatcher watcher = new OutputWatcher(config, new AppSerdes(registry));
             MetricsServer metrics = new MetricsServer(config.metrics(), pipeline, watcher)) {
            try {
                pipeline.start();
            } catch (RuntimeException e) {
                pipeline.close(); // its API port and Streams client, now rather than at exit
                throw e;
            }
            watcher.start();
            out.printf("brand-equity %s: reading %s on %s, metrics on :%d/metrics, queries on %s%n",
                    config.applicationId(), config.topics().interactions(), config.bootstrapServers(), metrics.port(),
                    pipeline.apiUrl() == null ? "(disabled)" : pipeline.apiUrl());
            boolean failed = pipeline.awaitTermination();
            if (failed) {
                BrokerErrors.describe(pipeline.failure(), pipeline.config()).ifPresent(line -> err.println("error: " + line));
            }
            return failed ? 1 : 0;
        }
    }
}
