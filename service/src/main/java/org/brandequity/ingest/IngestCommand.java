package org.brandequity.ingest;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.brandequity.command.Cli;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.IngestKeys;
import org.brandequity.config.PipelineConfig;
import picocli.CommandLine.Command;

/** {@code ingest}: the HTTP ingestion service, until Ctrl-C (SIGTERM), then a graceful stop. */
@Command(name = "ingest", description = {"HTTP ingestion: POST JSON, JSON arrays or NDJSON to /v1/interactions and /v1/profiles;"
        + " validated by the pipeline's rules, answered 202 once Kafka acknowledged every record (docs/ingest.md).",
        "Reads the pipeline's keys (cluster, registry, topics, kafka.*) and the ingest.* keys."})
public final class IngestCommand extends Cli.ConfiguredCommand {
    public IngestCommand(Cli cli) {
        super(cli);
    }

    @Override
    public CommandKeys keys() {
        return IngestKeys.KEYS;
    }

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> values = resolve();
        PipelineConfig config = PipelineConfig.fromMap(values);
        IngestConfig ingest = IngestConfig.fromMap(values);
        IngestService service = IngestService.start(config, ingest);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, "shutdown"));
        cli.out().printf("brand-equity %s; writing %s and %s on %s. Ctrl-C to stop.%n", service.banner(),
                config.topics().interactions(), config.topics().profiles(), config.bootstrapServers());
        stopped.await();
        return 0;
    }
}
