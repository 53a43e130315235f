package org.brandequity.http.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The bearer tokens an HTTP endpoint accepts (the query API, the ingestion service) ({@code Authorization: Bearer <token>}). None
 * configured means authentication is off.
 *
 * <p>Tokens are kept only as SHA-256 digests and compared with {@link MessageDigest#isEqual}, which
 * takes the same time whatever the bytes, against every configured token without stopping at a
 * match: the time of an answer tells nothing about how much of a guess was right, nor its length
 * (digests all have 32 bytes). {@link #toString} never shows a token.
 */
public final class BearerTokens {
    /** What a request's {@code Authorization} header amounts to. */
    public enum Verdict {
        /** Authentication is off, or the header carries an accepted token. */
        ALLOWED,
        /** No bearer token in the request: 401 with {@code WWW-Authenticate: Bearer}. */
        MISSING,
        /** A bearer token that is not accepted: 403. */
        WRONG
    }

    private static final String SCHEME = "bearer ";

    private final List<byte[]> digests;
    private final String source;

    private BearerTokens(List<String> tokens, String source) {
        this.digests = tokens.stream().map(BearerTokens::sha256).toList();
        this.source = source;
    }

    /** No authentication. */
    public static BearerTokens off() {
        return new BearerTokens(List.of(), "");
    }

    /**
     * @param tokens the accepted tokens, none blank
     * @param source where they came from, for the start banner (a key or file name, never a token)
     */
    public static BearerTokens of(List<String> tokens, String source) {
        if (tokens.stream().anyMatch(String::isBlank)) throw new IllegalArgumentException("a bearer token is blank");
        return new BearerTokens(tokens, source);
    }

    public boolean enabled() {
        return !digests.isEmpty();
    }

    /** Where the tokens came from (e.g. {@code ingest.auth.tokens}); empty when off. */
    public String source() {
        return source;
    }

    public int count() {
        return digests.size();
    }

    /** The verdict on a request's {@code Authorization} header ({@code null} when absent). */
    public Verdict check(String authorization) {
        if (!enabled()) return Verdict.ALLOWED;
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Verdict.MISSING;
        }
        byte[] offered = sha256(authorization.substring(SCHEME.length()).trim());
        boolean match = false;
        for (byte[] accepted : digests) {
            match |= MessageDigest.isEqual(accepted, offered); // no early exit: every token is compared
        }
        return match ? Verdict.ALLOWED : Verdict.WRONG;
    }

    @Override
    public String toString() {
        return enabled() ? digests.size() + " bearer token(s) from " + source : "no authentication";
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
