package org.brandequity.runtime;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins the JVM's default format locale ({@link Locale.Category#FORMAT}, what {@code String.format}
 * without a locale uses) to US English before Kafka Streams starts.
 *
 * <p>Why: Kafka Streams 4.3.1 builds log text with {@code String.format} on every record of a task
 * that has an empty, caught-up input partition ({@code PartitionGroup.readyToProcess}, since
 * KAFKA-19682), whether or not the text is ever logged; here that is the ledger's tasks, whose
 * profiles partition is nearly always empty beside the interactions. In Java 17,
 * {@link java.util.Formatter} formats each {@code %d} through a newly built
 * {@link java.text.DecimalFormatSymbols} unless the locale is exactly {@link Locale#US}, and a
 * machine whose {@code LANG} is {@code C.UTF-8} or unset gets "en" without a country. With the
 * locale pinned, those calls skip that work (docs/benchmark.md, issue 26), and any text the pipeline
 * or a library formats without naming a locale reads the same on every machine. The pipeline's own
 * machine-read text names its locale ({@code Locale.ROOT}) anyway.
 *
 * <p>Only the format category is set; the display category (names of languages, countries and the
 * like) is left as the machine has it.
 * An upgrade to a Kafka Streams that logs this text only at TRACE makes this unneeded.
 */
final class FormatLocale {
    private static final Logger log = LoggerFactory.getLogger(FormatLocale.class);

    private FormatLocale() {}

    /** Sets the default format locale to {@link Locale#US} (idempotent). */
    static void pin() {
        Locale was = Locale.getDefault(Locale.Category.FORMAT);
        if (was.equals(Locale.US)) return;
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
        log.info("Default format locale {} -> {} (text formatted without a locale reads the same on every machine)", was, Locale.US);
    }
}
