package org.brandequity.demo;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.brandequity.sim.CustomerJourneys;
import org.brandequity.sim.SimulationConfig;

/**
 * Writes examples/survey-export.csv: a made-up export of a post-interaction email survey (one
 * afternoon of responses, in the survey tool's own column names and labels) for customers of the
 * demo's simulated population, so imported rows land on customers with segments. Deterministic
 * (fixed seed); {@code ExamplesTest} keeps the committed file equal to what this writes.
 *
 * <p>Mostly promoters, except a cluster of detractors in the last 40 minutes: high-value customers
 * unhappy with Delivery.
 *
 * <p>Regenerate: {@code mvn -B -q -pl schemas,local-cluster,topology,service,demo test-compile} then run
 * this class's main with the demo module's test classpath (or: {@code ExamplesTest} prints a diff).
 */
public final class SurveyExportExample {
    public static final Path FILE = Path.of("examples", "survey-export.csv");
    static final int ROWS = 400;
    private static final long SEED = 20261127L;
    private static final LocalDateTime FIRST = LocalDateTime.of(2026, 11, 27, 13, 0, 0);
    /** Responses come in over two hours (Europe/Berlin local time, as the survey tool exports it). */
    private static final int SPAN_SECONDS = 2 * 3600;
    private static final int INCIDENT_FROM_SECONDS = SPAN_SECONDS - 40 * 60;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    static final List<String> HEADER = List.of("Response ID", "Submitted At", "Customer ID", "Touchpoint", "NPS", "CSAT",
            "Effort (1-5)", "Comment sentiment", "Comment");
    private static final String[] TOUCHPOINTS = {"Delivery", "Support", "Purchase", "Returns", "App", "Store"};
    private static final double[] TOUCHPOINT_SHARE = {0.30, 0.20, 0.20, 0.08, 0.14, 0.08};
    private static final String[] CSAT = {"Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"};
    private static final String[] HAPPY = {"Quick and easy, thanks!", "Arrived a day early.", "Friendly staff, fair price.",
            "Great app, found everything in seconds.", "Support solved it in one call.", "", "", ""};
    private static final String[] MIXED = {"OK, nothing special.", "Took a while, but it worked out.", "Fine.", "", ""};
    private static final String[] UNHAPPY = {"Parcel arrived two days late.", "Courier left the box in the rain, \"contactless\" they said.",
            "Tracking said delivered, nothing at the door.", "Third time this month, I'm done.", "Damaged packaging, item scratched.", ""};

    private SurveyExportExample() {}

    public static void main(String[] args) throws IOException {
        Files.writeString(FILE, csv(), StandardCharsets.UTF_8);
        System.out.println("wrote " + FILE.toAbsolutePath());
    }

    /** The file's text. */
    public static String csv() throws IOException {
        CustomerJourneys population = new CustomerJourneys(SimulationConfig.defaults(), java.time.Instant.EPOCH);
        List<String> highValue = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (var p : population.profiles()) (p.getSegment().equals(CustomerJourneys.HIGH_VALUE) ? highValue : others).add(p.getCustomerId());

        SplittableRandom random = new SplittableRandom(SEED);
        int[] seconds = new int[ROWS];
        for (int i = 0; i < ROWS; i++) seconds[i] = random.nextInt(SPAN_SECONDS);
        java.util.Arrays.sort(seconds); // an export lists responses in submission order

        CsvSchema.Builder schema = CsvSchema.builder();
        HEADER.forEach(schema::addColumn);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            boolean incident = seconds[i] >= INCIDENT_FROM_SECONDS && random.nextDouble() < 0.35;
            String customer = incident || random.nextDouble() < 0.15
                    ? highValue.get(random.nextInt(highValue.size())) : others.get(random.nextInt(others.size()));
            String touchpoint = incident ? "Delivery" : pick(random);
            // Experience in [-1, 1]: mostly good; the incident's deliveries bad.
            double experience = incident ? -0.6 - 0.4 * random.nextDouble() : clamp(0.8 + 0.3 * gaussian(random));
            int nps = (int) Math.round(clamp01((experience + 1) / 2 + 0.08 * gaussian(random)) * 10);
            int csat = (int) Math.round(clamp01((experience + 1) / 2 + 0.1 * gaussian(random)) * 4);
            int effort = 1 + (int) Math.round(clamp01((experience + 1) / 2 + 0.15 * gaussian(random)) * 4);
            double sentiment = Math.round(clamp(experience + 0.2 * gaussian(random)) * 100) / 100.0;
            String[] comments = experience < -0.2 ? UNHAPPY : experience < 0.4 ? MIXED : HAPPY;
            String comment = comments[random.nextInt(comments.length)];
            rows.add(List.of(responseId(random), TIME.format(FIRST.plusSeconds(seconds[i])), customer, touchpoint,
                    Integer.toString(nps), CSAT[csat], Integer.toString(effort),
                    // Some respondents leave the comment empty: then the tool exports no sentiment score either.
                    comment.isEmpty() ? "" : String.format(Locale.ROOT, "%.2f", sentiment), comment));
        }
        StringBuilder out = new StringBuilder();
        out.append(new CsvMapper().writer(schema.build().withHeader()).writeValueAsString(List.of()));
        CsvMapper mapper = new CsvMapper();
        for (List<String> row : rows) out.append(mapper.writer(schema.build()).writeValueAsString(row.toArray()));
        return out.toString();
    }

    private static String pick(SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < TOUCHPOINTS.length; i++) {
            u -= TOUCHPOINT_SHARE[i];
            if (u < 0) return TOUCHPOINTS[i];
        }
        return TOUCHPOINTS[TOUCHPOINTS.length - 1];
    }

    private static String responseId(SplittableRandom random) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder("R_");
        for (int i = 0; i < 15; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** A standard normal draw (Box-Muller). */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double clamp(double x) {
        return Math.max(-1, Math.min(1, x));
    }

    private static double clamp01(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
