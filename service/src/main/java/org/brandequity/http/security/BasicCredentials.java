package org.brandequity.http.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.kafka.common.config.types.Password;

/**
 * Basic auth credentials, checking both parts in constant time (digests compared with {@link MessageDigest#isEqual}).
 * Both {@code /metrics} endpoints (the pipeline's and the ingestion service's) check their scrapers with it.
 */
public final class BasicCredentials {
    private final byte[] user;
    private final byte[] password;

    public BasicCredentials(String user, Password password) {
        this.user = sha256(user);
        this.password = sha256(password.value());
    }

    public boolean checkCredentials(String username, String password) {
        // Both compared, always: '&' not '&&', so a right user name takes no longer to refuse than a wrong one.
        return MessageDigest.isEqual(user, sha256(username)) & MessageDigest.isEqual(this.password, sha256(password));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
