package org.brandequity.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** External tools the deployment tests run, and the repository root they check files in. */
public final class Tools {
    /** Surefire runs in the topology module; the deployment files are at the repository root. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private Tools() {}

    /**
     * The executable on PATH, or a failed test saying which Debian package provides it: a missing
     * tool must fail the build, not skip the checks (CI installs them in .ci/run).
     */
    public static Path require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return fail(tool + " is not on PATH; install it with `apt-get install -y " + debianPackage
                + "` (CI's .ci/run does). These deployment checks cannot run without it.");
    }

    public record Result(int exitCode, String output) {}

    /** Runs a command in {@code dir}, stdout and stderr merged, and fails if it takes longer than {@code seconds}. */
    public static Result run(Path dir, long seconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
            } catch (IOException ignored) {
                // the process died: its exit code says so
            }
        });
        reader.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in " + seconds + " s");
        }
        reader.join(5_000);
        return new Result(p.exitValue(), String.join("\n", lines));
    }
}
