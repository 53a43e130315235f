package org.brandequity.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Event ids derived from a row, for files without an id column: {@code "imp-"} + the hex of the
 * first 16 bytes of SHA-256 over the row's mapped raw values (the columns the mapping reads, in
 * its order, before any time shift). The same row always gets the same id, so importing a file
 * twice counts once in the pipeline (dedup by event id) — and two identical rows in one file count
 * once too. Not thread-safe: one per reading thread.
 */
public final class EventIds {
    public static final String PREFIX = "imp-";
    private static final HexFormat HEX = HexFormat.of();

    private final MessageDigest sha256;
    private final byte[] length = new byte[4];

    public EventIds() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The id of a row whose mapped columns hold {@code values} (null = absent). Each value is
     * length-prefixed, so ("ab", "c") and ("a", "bc") differ, and an absent value differs from an
     * empty one.
     */
    public String derive(String[] values) {
        for (String v : values) {
            byte[] bytes = v == null ? null : v.getBytes(StandardCharsets.UTF_8);
            int n = bytes == null ? -1 : bytes.length;
            length[0] = (byte) (n >>> 24);
            length[1] = (byte) (n >>> 16);
            length[2] = (byte) (n >>> 8);
            length[3] = (byte) n;
            sha256.update(length);
            if (bytes != null) sha256.update(bytes);
        }
        byte[] digest = sha256.digest(); // also resets the digest for the next row
        return PREFIX + HEX.formatHex(digest, 0, 16);
    }
}
