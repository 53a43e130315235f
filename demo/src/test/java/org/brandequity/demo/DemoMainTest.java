package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.brandequity.command.Cli;
import org.brandequity.config.CommandKeys;
import org.brandequity.config.PipelineConfig;
import org.brandequity.sim.Incident;
import org.brandequity.sim.SimulationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int execute(Map<String, String> env, String... args) {
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return DemoMain.commandLine(cli).execute(args);
    }

    @Test
    void theUsersFileBeatsTheDemosOwnDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo.properties");
        Files.writeString(file, "window.size=1m\nwindow.advance=1m\nsimulator.rate=50\n");

        Map<String, String> values = DemoMain.DEMO_KEYS.resolve(file, Map.of(), Map.of());

        assertEquals("1m", values.get("window.size"));
        assertEquals(60_000, PipelineConfig.fromMap(values).windows().size().toMillis());
        assertEquals(50, SimulationConfig.fromMap(values).rate());
        assertEquals("5s", values.get("window.grace"), "the demo's default where the file says nothing");
    }

    @Test
    void everyKeyOfTheDemoRoundTripsThroughItsEnvironmentVariable() {
        Set<String> variables = new HashSet<>();
        for (String key : DemoMain.DEMO_KEYS.definition().names()) {
            String variable = CommandKeys.envOf(key);
            assertTrue(variables.add(variable), key + " shares " + variable);
            assertEquals(Optional.of(key), DemoMain.DEMO_KEYS.keyOfEnv(variable), variable);
        }
    }

    @Test
    void aNumberedIncidentCanBeSetThroughTheEnvironment() {
        Map<String, String> values = DemoMain.SIMULATE_KEYS.resolve(null,
                Map.of("BRANDEQUITY_SIMULATOR_INCIDENT_2", "outage;segment=High_Value;touchpoint=APP_SESSION;start=1m;duration=1m"), Map.of());

        Incident incident = SimulationConfig.fromMap(values).incidents().get(0);
        assertEquals("High_Value", incident.segment());
    }

    @Test
    void simulateDoesNotReadTheDemosStatusInterval() {
        assertTrue(DemoMain.DEMO_KEYS.known("status.interval"));
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> DemoMain.SIMULATE_KEYS.resolve(null, Map.of(), Map.of("status.interval", "1s")));
        assertTrue(e.getMessage().startsWith("unknown config key 'status.interval' (from --set)"), e.getMessage());
    }

    @Test
    void aMisspeltSimulatorKeyStopsSimulateWithStatusTwoAndTheSuggestion() {
        assertEquals(2, execute(Map.of(), "simulate", "--set", "simulator.rat=10"));
        assertEquals("error: unknown config key 'simulator.rat' (from --set); did you mean 'simulator.rate'?\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDemoJarOffersThePipelineCommandsToo() {
        assertEquals(0, execute(Map.of(), "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        for (String command : new String[] {"run", "topology", "config", "ingest", "demo", "simulate"}) {
            assertTrue(help.contains(command), command + " in " + help);
        }
    }

    @Test
    void configForDemoShowsTheDemosDefaultsAsEffectiveValues() {
        assertEquals(0, execute(Map.of(), "config", "--for", "demo", "--effective"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("window.size=30s\n") && text.contains("status.interval=5s\n") && text.contains("simulator.rate=500\n"), text);
    }
}
