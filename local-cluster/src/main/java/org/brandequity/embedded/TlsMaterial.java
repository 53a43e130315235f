package org.brandequity.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and one certificate it signed for {@code CN=<name>} with the
 * subject alternative names 127.0.0.1 and localhost, as PKCS12 files: the keystore (key and chain) a
 * broker serves and authenticates itself with, and the truststore (the CA only) its clients trust.
 *
 * <p>Made with the JDK's own {@code keytool} (no certificate library is needed for this): a CA key
 * pair with the CA basic constraint, a key pair for the name, a signing request, the CA's signature
 * with the SANs, and the chain imported back. Valid for two days: for tests and the demo, never for
 * production.
 */
public final class TlsMaterial {
    private static final String TYPE = "PKCS12";

    private final Path keystore;
    private final Path truststore;
    private final String password;
    private final String subject;

    private TlsMaterial(Path keystore, Path truststore, String password, String subject) {
        this.keystore = keystore;
        this.truststore = truststore;
        this.password = password;
        this.subject = subject;
    }

    /** Generates the CA, the certificate of {@code CN=name} and both stores in {@code directory}. */
    public static TlsMaterial generate(Path directory, String name) {
        String password = java.util.UUID.randomUUID().toString();
        try {
            Files.createDirectories(directory);
            Path ca = directory.resolve("ca.p12");
            Path caPem = directory.resolve("ca.pem");
            Path keystore = directory.resolve(name + ".keystore.p12");
            Path csr = directory.resolve(name + ".csr");
            Path signed = directory.resolve(name + ".pem");
            Path truststore = directory.resolve("truststore.p12");
            keytool(password, "-genkeypair", "-alias", "ca", "-dname", "CN=brand-equity test CA", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "2", "-ext", "bc:c", "-keystore", ca.toString());
            keytool(password, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
            keytool(password, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", truststore.toString());
            keytool(password, "-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-validity", "2", "-keystore", keystore.toString());
            keytool(password, "-certreq", "-alias", name, "-keystore", keystore.toString(), "-file", csr.toString());
            keytool(password, "-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                    "-outfile", signed.toString(), "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost");
            // The chain goes back under the key's alias: the CA first, so that keytool can link the reply to it.
            keytool(password, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", keystore.toString());
            keytool(password, "-importcert", "-noprompt", "-alias", name, "-file", signed.toString(), "-keystore", keystore.toString());
            return new TlsMaterial(keystore, truststore, password, "CN=" + name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot generate TLS material in " + directory, e);
        }
    }

    private static void keytool(String password, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A broker and its clients load these stores once per listener and per connection manager: with
        // the default 10,000 PBKDF2 iterations of PKCS12 that is seconds of a test's start-up. Throw-away
        // stores protected by a random password need no key stretching.
        for (String count : List.of("keyPbeIterationCount", "certPbeIterationCount", "macIterationCount")) {
            command.add("-J-Dkeystore.pkcs12." + count + "=1");
        }
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", TYPE, "-storepass", password, "-keypass", password));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running keytool", e);
        }
    }

    /** The key and certificate chain of {@link #subject()} (PKCS12). */
    public Path keystore() {
        return keystore;
    }

    /** The CA certificate only (PKCS12): what a client trusts. */
    public Path truststore() {
        return truststore;
    }

    /** Password of both stores and of the key. */
    public String password() {
        return password;
    }

    /** The certificate's distinguished name, e.g. {@code CN=broker}: the principal it authenticates as over mutual TLS. */
    public String subject() {
        return subject;
    }

    public String storeType() {
        return TYPE;
    }
}
