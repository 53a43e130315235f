package org.brandequity.topology;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.brandequity.avro.AlertScope;
import org.brandequity.avro.AlertState;
import org.brandequity.avro.CellChange;
import org.brandequity.avro.Contributor;
import org.brandequity.avro.ScoreDropAlert;
import org.brandequity.avro.internal.DropDetectorState;
import org.brandequity.avro.internal.WindowObservation;
import org.brandequity.model.DropDetector;

/** Converts the detector's values to and from their stored Avro form, and renders {@link ScoreDropAlert}s. */
final class ScoreDropAlerts {
    private ScoreDropAlerts() {}

    /** The alert topic's key: {@code SCOPE:subject}, e.g. {@code SEGMENT:high-value}. */
    static String key(AlertScope scope, String subject) {
        return scope.name() + ':' + subject;
    }

    static ScoreDropAlert render(AlertScope scope, String subject, DropDetector.Alert a, long detectedAtMs) {
        return render(scope, subject, a, detectedAtMs, List.of());
    }

    /** With {@code topCells}: the cells that moved the brand's index most over the window ({@link EquityDropDetection}). */
    static ScoreDropAlert render(AlertScope scope, String subject, DropDetector.Alert a, long detectedAtMs, List<CellChange> topCells) {
        List<Contributor> contributors = a.contributors().stream()
                .map(c -> new Contributor(c.name(), c.change())).toList();
        // One id per episode: the RESOLVED record carries the id of the FIRING record it closes.
        String alertId = key(scope, subject) + '@' + Instant.ofEpochMilli(a.episodeStart());
        return new ScoreDropAlert(alertId, scope, subject, a.firing() ? AlertState.FIRING : AlertState.RESOLVED,
                Instant.ofEpochMilli(detectedAtMs), Instant.ofEpochMilli(a.windowStart()), Instant.ofEpochMilli(a.windowEnd()),
                a.baseline(), a.value(), a.drop(), a.marginOfError(), a.sampleSize(), a.reason().label(),
                contributors, a.baselineSpread(), a.suppressedAlerts(), topCells);
    }

    static DropDetector.State state(DropDetectorState s) {
        if (s == null) return DropDetector.State.EMPTY;
        return new DropDetector.State(s.getBaselineWindows(), s.getBaseline(), s.getMeanError(), s.getVariance(),
                s.getCusum(), s.getSlideReference(),
                s.getPartBaselines(), s.getLastWindowStart(), s.getBreachHistory(), s.getFiring(), s.getEpisodeStart(),
                s.getEpisodeSuppressed(), s.getClearStreak(), s.getSentAlerts(), s.getSuppressedAlerts());
    }

    static DropDetectorState stored(DropDetector.State s, DropDetector.Observation pending) {
        return new DropDetectorState(s.baselineWindows(), s.baseline(), s.meanError(), s.variance(), s.cusum(), s.slideReference(),
                new HashMap<>(s.partBaselines()), s.lastWindowStart(), s.breachHistory(), s.firing(), s.episodeStart(),
                s.episodeSuppressed(), s.clearStreak(), List.copyOf(s.sentAlerts()), s.suppressedAlerts(),
                pending == null ? null : new WindowObservation(pending.windowStart(), pending.windowEnd(), pending.value(),
                        pending.standardError(), pending.sampleSize(), new HashMap<>(pending.parts())));
    }

    static DropDetector.Observation observation(WindowObservation w) {
        if (w == null) return null;
        return new DropDetector.Observation(w.getWindowStart(), w.getWindowEnd(), w.getValue(), w.getStandardError(),
                w.getSampleSize(), w.getParts());
    }
}
