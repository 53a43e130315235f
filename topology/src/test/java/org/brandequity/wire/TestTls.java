package org.brandequity.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates, stores and password hashes for the security tests, made by the tools a
 * deployment uses: the JDK's keytool and openssl. Every certificate is for 127.0.0.1 and localhost
 * (subject alternative names), since clients verify the host name.
 */
public final class TestTls {
    private TestTls() {}

    /** A self-signed certificate and its unencrypted key, as PEM files (what nginx reads). */
    public record Pem(Path certificate, Path key) {}

    public static Pem selfSignedPem(Path dir, String name) throws IOException, InterruptedException {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        run(tool("openssl", "openssl").toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        return new Pem(cert, key);
    }

    /** A PKCS12 trust store holding {@code certificate}. */
    public static Path truststore(Path dir, Path certificate, String password) throws IOException, InterruptedException {
        Path store = dir.resolve(certificate.getFileName() + ".truststore.p12");
        run(keytool(), "-importcert", "-noprompt", "-alias", "trusted", "-file", certificate.toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password);
        return store;
    }

    /** A PKCS12 key store with one self-signed key pair, the key protected by the store password. */
    public static Path keystore(Path dir, String name, String password) throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".keystore.p12");
        run(keytool(), "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
        return store;
    }

    /** An htpasswd line for {@code user} (Apache MD5, which nginx reads; no apache2-utils needed). */
    public static String htpasswdLine(String user, String password) throws IOException, InterruptedException {
        return user + ":" + run(tool("openssl", "openssl").toString(), "passwd", "-apr1", password).trim();
    }

    /**
     * The executable on PATH (or in /usr/sbin, where Debian puts daemons such as nginx), or a failed
     * test saying which Debian package provides it: a missing tool must fail the build, not skip the
     * checks (CI installs them in .ci/run), as the deployment tests' {@code Tools.require} does.
     */
    public static Path tool(String name, String debianPackage) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) return p;
        }
        return fail(name + " is not on PATH; install it with `apt-get install -y " + debianPackage
                + "` (CI's .ci/run does). These security checks cannot run without it.");
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    /** Runs {@code command}, failing with its output unless it exits 0 within 60 s; returns its stdout. */
    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 60 s");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", command) + " failed:\n" + text);
        return text;
    }
}
