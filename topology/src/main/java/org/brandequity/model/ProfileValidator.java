package org.brandequity.model;

import java.util.ArrayList;
import java.util.List;
import org.brandequity.avro.CustomerProfile;

/**
 * What a profile must satisfy to be taken in through the ingestion doors (HTTP and file import),
 * and to be applied by the topology, which dead-letters a profile that breaks it (a producer can
 * write the profiles topic directly) and keeps the customer's previous one. The checks refuse a
 * profile that would be applied wrongly or grow state without bound: an empty customer id or segment, a NUL
 * in the id (state-store keys reserve it), or a value weight that is negative or not a number, which
 * would turn the customer's contribution to brand equity ({@code segment weight × value weight × w})
 * around or into NaN.
 */
public final class ProfileValidator {
    private ProfileValidator() {}

    /** Every violation; empty when the profile can be written. */
    public static List<Violation> validateAll(CustomerProfile p) {
        List<Violation> all = new ArrayList<>(1);
        if (p.getCustomerId() == null || p.getCustomerId().isBlank()) {
            all.add(new Violation(DeadLetterReason.MISSING_FIELD, "customerId", "customerId is empty"));
        } else if (p.getCustomerId().indexOf('\u0000') >= 0) {
            all.add(new Violation(DeadLetterReason.INVALID_ID, "customerId", "customerId contains a NUL character"));
        } else {
            add(all, FieldLimits.checkBytes("customerId", p.getCustomerId(), FieldLimits.ID_MAX_BYTES));
        }
        if (p.getSegment() == null || p.getSegment().isBlank()) {
            all.add(new Violation(DeadLetterReason.MISSING_FIELD, "segment", "segment is empty"));
        } else {
            add(all, FieldLimits.checkBytes("segment", p.getSegment(), FieldLimits.SEGMENT_MAX_BYTES));
        }
        add(all, FieldLimits.checkChars("tier", p.getTier(), FieldLimits.TIER_MAX_CHARS));
        if (!(p.getValueWeight() >= 0 && Double.isFinite(p.getValueWeight()))) {
            all.add(new Violation(DeadLetterReason.OUT_OF_RANGE, "valueWeight", "valueWeight=" + p.getValueWeight() + " is outside >= 0"));
        }
        return all;
    }

    /** The first violation of {@link #validateAll}, or null: what the topology dead-letters a profile for. */
    public static Violation validate(CustomerProfile p) {
        List<Violation> all = validateAll(p);
        return all.isEmpty() ? null : all.get(0);
    }

    private static void add(List<Violation> all, Violation v) {
        if (v != null) all.add(v);
    }
}
