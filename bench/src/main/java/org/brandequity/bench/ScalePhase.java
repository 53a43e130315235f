package org.brandequity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.brandequity.cluster.TopicAdmin;
import org.brandequity.config.PipelineConfig;

/** Phase 3: heap, RSS and state on disk at growing customer counts, the pipeline in a JVM of its own. */
final class ScalePhase extends Phase {
    ScalePhase(BenchRun run) {
        super(run);
    }

    @Override
    void run() throws Exception {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int customers : o.scale) {
            String phase = "scale-" + customers;
            PipelineConfig config = config(phase);
            TopicAdmin.ensureTopics(config);
            long events = Math.round(customers * o.scaleEventsPerCustomer);
            log("scale: preloading %,d interactions of %,d customers...", events, customers);
            Input.Preloaded in = Input.preload(config, serdes, o.simulator, customers, events, Duration.ofMillis(o.stepMs), 44);
            log("scale: %,d records, %,d distinct events, %,d customers touched; starting the pipeline in its own JVM",
                    in.records(), in.distinct(), in.customersTouched());
            List<String> command = new ArrayList<>();
            command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(o.childJvm.trim().split("\\s+")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleChild.class.getName(),
                    "--expected", Long.toString(in.distinct()), "--records", Long.toString(in.records()),
                    "--timeout-s", Long.toString(o.timeoutSeconds)));
            config.toProperties().forEach((k, v) -> {
                if (!k.toString().startsWith("model.")) command.addAll(List.of("--set", k + "=" + v));
            });
            Path log = work.resolve(phase + ".log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = child.waitFor(o.timeoutSeconds + 60, TimeUnit.SECONDS);
            if (!ended) child.destroyForcibly().waitFor();
            String result = null;
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith("RESULT ")) result = line.substring("RESULT ".length());
            }
            if (result == null) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("scale child for " + customers + " customers failed:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> point = new ObjectMapper().readValue(result, LinkedHashMap.class);
            point.put("customers", customers);
            point.put("customersTouched", in.customersTouched());
            point.put("records", in.records());
            point.put("distinctEvents", in.distinct());
            point.put("childJvm", o.childJvm);
            point.put("stateDirMiB", Machine.mib(directorySize(Paths.get(config.stateDir()))));
            points.add(point);
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) point.get("afterProcessing");
            log("scale: %,d customers: heap after GC %s MiB, RSS %s MiB, state dir %s MiB, %s events/s (load %s)",
                    customers, after.get("heapUsedAfterGcMiB"), after.get("rssMiB"), point.get("stateDirMiB"),
                    point.get("eventsPerSecond"), after.get("load1"));
            table.add("| scale | " + fmt(customers) + " customers (" + fmt(in.customersTouched()) + " active, "
                    + fmt(in.records()) + " events), pipeline JVM " + o.childJvm + " | heap after GC "
                    + after.get("heapUsedAfterGcMiB") + " MiB, RSS " + after.get("rssMiB") + " MiB, state on disk "
                    + point.get("stateDirMiB") + " MiB, " + fmt(((Number) point.get("eventsPerSecond")).doubleValue())
                    + " events/s | load " + after.get("load1") + " |");
            deleteRecursively(Paths.get(config.stateDir()));
        }
        results.put("scale", points);
    }
}
