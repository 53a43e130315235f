package org.brandequity.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * What a Dockerfile of deploy/docker gives a container: its environment, the files it copies in
 * (destination to source in the build context), its entrypoint, default command and volumes.
 * Parsed statically, since no Docker engine runs here. Hand-written because no dependency on the
 * classpath parses Dockerfiles; it reads the instructions these Dockerfiles use (ENV, COPY,
 * ENTRYPOINT, CMD, VOLUME, EXPOSE) and fails on an ENV or COPY form it does not understand.
 */
record DockerImage(Path dockerfile, Map<String, String> env, Map<String, String> copies,
                   List<String> entrypoint, List<String> cmd, List<String> volumes, List<Integer> exposed) {

    static DockerImage parse(Path dockerfile) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> copies = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> volumes = new ArrayList<>();
        List<Integer> exposed = new ArrayList<>();
        for (String line : instructions(Files.readString(dockerfile))) {
            String[] split = line.split("\\s+", 2);
            String keyword = split[0].toUpperCase();
            String rest = split.length > 1 ? split[1].trim() : "";
            switch (keyword) {
                case "ENV" -> {
                    for (String pair : rest.split("\\s+")) {
                        int eq = pair.indexOf('=');
                        if (eq <= 0) throw new IllegalArgumentException(dockerfile + ": ENV without key=value: " + line);
                        env.put(pair.substring(0, eq), pair.substring(eq + 1));
                    }
                }
                case "COPY" -> {
                    List<String> args = new ArrayList<>(List.of(rest.split("\\s+")));
                    args.removeIf(a -> a.startsWith("--"));
                    if (args.size() != 2) throw new IllegalArgumentException(dockerfile + ": COPY of one source expected: " + line);
                    copies.put(args.get(1), args.get(0));
                }
                case "ENTRYPOINT" -> entrypoint = jsonArray(dockerfile, line, rest);
                case "CMD" -> cmd = jsonArray(dockerfile, line, rest);
                case "VOLUME" -> volumes.addAll(rest.startsWith("[") ? jsonArray(dockerfile, line, rest) : List.of(rest.split("\\s+")));
                case "EXPOSE" -> {
                    for (String port : rest.split("\\s+")) exposed.add(Integer.parseInt(port.replace("/tcp", "")));
                }
                default -> { }
            }
        }
        return new DockerImage(dockerfile, env, copies, entrypoint, cmd, volumes, exposed);
    }

    /** The build-context file copied to {@code destination}, or null. */
    String sourceOf(String destination) {
        return copies.get(destination);
    }

    /** Instructions with continuation lines joined, comments and blank lines dropped. */
    private static List<String> instructions(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : text.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty()) continue;
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                out.add(current.toString().trim());
                current.setLength(0);
            }
        }
        return out;
    }

    /** The exec form, ["a", "b"]: a JSON array, which is also a YAML flow sequence. */
    private static List<String> jsonArray(Path dockerfile, String line, String rest) {
        if (!rest.startsWith("[")) throw new IllegalArgumentException(dockerfile + ": exec form [\"...\"] expected: " + line);
        List<?> items = new Yaml().load(rest);
        return items.stream().map(Object::toString).toList();
    }
}
