package org.brandequity.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The demo's status line and the open at-risk count it reads from the pipeline's metrics. */
class StatusLineTest {

    @Test
    void theOpenAtRiskCountIsTheOpenAlertGaugeSummedOverSegments() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong highValue = new AtomicLong(3);
        AtomicLong vip = new AtomicLong(2);
        Gauge.builder(StatusLine.OPEN_AT_RISK_GAUGE, highValue, AtomicLong::get).tag("segment", "high-value").register(registry);
        Gauge.builder(StatusLine.OPEN_AT_RISK_GAUGE, vip, AtomicLong::get).tag("segment", "vip").register(registry);
        assertEquals(5, StatusLine.openAtRisk(registry));
        highValue.set(0);
        assertEquals(2, StatusLine.openAtRisk(registry), "read at each print, not once");
    }

    @Test
    void withoutTheGaugeTheOpenAtRiskCountIsUnknown() {
        assertEquals(-1, StatusLine.openAtRisk(new SimpleMeterRegistry()));
    }

    @Test
    void theLineShowsTheOpenAtRiskCustomers() {
        String line = StatusLine.render(100, 5, 0, null, Map.of(), 7, 0, 0);
        assertTrue(line.contains(" | at risk 7 open"), line);
    }

    @Test
    void theLineLeavesTheAtRiskCountOutWhileItIsUnknown() {
        String line = StatusLine.render(100, 5, 0, null, Map.of(), -1, 0, 0);
        assertFalse(line.contains("at risk"), line);
    }
}
