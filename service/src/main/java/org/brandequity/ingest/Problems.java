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
        if (listed.size() < FieldLimits.PROBLEMS_LISTED_MAX) listed.add(p);
        count(p.item());
    }

    /**
     * Whether the listing is full: a caller then {@link #count}s a problem instead of building
     * it, so that a body of many small problems (unknown keys) costs no text per problem.
     */
    public boolean full() {
        return listed.size() >= FieldLimits.PROBLEMS_LISTED_MAX;
    }

    /** Counts a problem of {@code item} that is not listed. */
    public void count(int item) {
        total++;
        if (item != lastItem) {
            invalidItems++;
            lastItem = item;
        }
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
