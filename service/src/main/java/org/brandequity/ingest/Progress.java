package org.brandequity.ingest;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@code import} shows while it runs. On a terminal a single line redrawn in place,
 * {@code [=====>    ] 45% 123,456 rows 61,234 rows/s ETA 0:12} (percent by bytes read of the
 * files' total size); elsewhere (a log, CI) a plain line every 5 s. Hand-written: no dependency of
 * this project draws a progress bar, and one line does not justify adding one.
 */
public final class Progress {
    /** auto = bar on a terminal (System.console() != null), lines otherwise. */
    public enum Mode { AUTO, BAR, LINES, NONE }

    private static final int WIDTH = 30;
    private static final long BAR_EVERY_NS = 200_000_000L;
    private static final long LINE_EVERY_NS = 5_000_000_000L;

    private final PrintStream out;
    private final Mode mode;
    private final long totalBytes;
    private final long startNs;
    private long lastNs;
    private int lastLength;

    public Progress(PrintStream out, Mode mode, long totalBytes, long startNs) {
        this.out = out;
        this.mode = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
        this.totalBytes = totalBytes;
        this.startNs = startNs;
        this.lastNs = startNs;
    }

    public Mode mode() {
        return mode;
    }

    /** Called often (every few hundred rows); draws only when the mode's interval has passed. */
    public void update(long rows, long bytes, long nowNs) {
        if (mode == Mode.NONE) return;
        long every = mode == Mode.BAR ? BAR_EVERY_NS : LINE_EVERY_NS;
        if (nowNs - lastNs < every) return;
        lastNs = nowNs;
        String text = line(rows, bytes, nowNs);
        if (mode == Mode.BAR) {
            // Pad over the previous, longer line, then return to its start.
            out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
            lastLength = text.length();
        } else {
            out.println("import: " + text);
        }
        out.flush();
    }

    /** Ends the bar's line, so that what follows starts on a fresh one. */
    public void finish() {
        if (mode == Mode.BAR && lastLength > 0) {
            out.println();
            out.flush();
        }
    }

    /** The progress text for {@code rows} rows and {@code bytes} of the files read after {@code nowNs - startNs}. */
    String line(long rows, long bytes, long nowNs) {
        double seconds = Math.max(1e-9, (nowNs - startNs) / 1e9);
        double fraction = totalBytes <= 0 ? 1 : Math.min(1, (double) bytes / totalBytes);
        StringBuilder sb = new StringBuilder(80);
        if (mode == Mode.BAR) {
            int filled = (int) Math.floor(fraction * WIDTH);
            sb.append('[').append("=".repeat(filled));
            if (filled < WIDTH) sb.append('>').append(" ".repeat(WIDTH - filled - 1));
            sb.append("] ");
        }
        sb.append(String.format(Locale.ROOT, "%3d%% %,d rows %,d rows/s", (int) Math.floor(fraction * 100), rows, Math.round(rows / seconds)));
        // ETA from the byte rate so far: remaining bytes / (bytes per second).
        if (bytes > 0 && fraction < 1) sb.append(" ETA ").append(clock(Math.round((totalBytes - bytes) / (bytes / seconds))));
        return sb.toString();
    }

    /** 0:12, 3:04, 1:02:03. */
    static String clock(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
