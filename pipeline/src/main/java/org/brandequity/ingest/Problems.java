package org.brandequity.ingest;

import java.util.ArrayList;
import java.util.List;
import org.brandequity.model.FieldLimits;

/**
 * The problems of one request or row: the first {@link FieldLimits#PROBLEMS_LISTED_MAX} listed,
 * the rest only counted, so that a hostile body cannot make its own answer large. Also counts the
 * distinct items with a problem (items are read in order, so a change of item is a new one).
 */
public final class Problems {
    private final List<Problem> listed = new ArrayList<>();
    private long total;
    private int invalidItems;
    private int lastItem = Integer.MIN_VALUE;

    public void add(Problem p) {
        total++;
        if (p.item() != lastItem) {
            invalidItems++;
            lastItem = p.item();
        }
        if (listed.size() < FieldLimits.PROBLEMS_LISTED_MAX) listed.add(p);
    }

    /** Every problem added, listed or not. */
    public long total() {
        return total;
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /** The first {@link FieldLimits#PROBLEMS_LISTED_MAX} problems, in the order they were found. */
    public List<Problem> listed() {
        return listed;
    }

    /** Problems found beyond the listed ones. */
    public long more() {
        return total - listed.size();
    }

    /** Items with at least one problem. */
    public int invalidItems() {
        return invalidItems;
    }
}
