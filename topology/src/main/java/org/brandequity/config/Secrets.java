package org.brandequity.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.config.types.Password;

/**
 * Secrets read from files (a Kubernetes secret mounted as a volume, a Docker secret). Errors name
 * the key and the file, never the content; the values stay {@link Password}s, which print as
 * {@code [hidden]}.
 */
public final class Secrets {
    private Secrets() {}

    /** One token: the file's content without surrounding whitespace (editors add a final newline). */
    public static Password readToken(String key, Path file) {
        List<Password> tokens = readTokens(key, file);
        if (tokens.size() != 1) {
            throw new IllegalArgumentException("Invalid config: " + key + " file " + file + " must hold one token, it holds " + tokens.size());
        }
        return tokens.get(0);
    }

    /** Tokens one a line; blank lines and lines starting with {@code #} skipped. */
    public static List<Password> readTokens(String key, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("Invalid config: cannot read " + key + " file " + file + ": " + e.getClass().getSimpleName());
        }
        List<Password> tokens = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (!Validators.BEARER_TOKEN.matcher(line).matches()) {
                throw new IllegalArgumentException("Invalid config: " + key + " file " + file + " line " + (i + 1)
                        + " is not a bearer token (letters, digits, -._~+/ and trailing =)");
            }
            tokens.add(new Password(line));
        }
        return List.copyOf(tokens);
    }

    /** The comma-separated tokens of {@code value}; empty when it is blank. */
    public static List<Password> splitTokens(Password value) {
        List<Password> tokens = new ArrayList<>();
        for (String token : value.value().split(",")) {
            if (!token.isBlank()) tokens.add(new Password(token.trim()));
        }
        return List.copyOf(tokens);
    }
}
