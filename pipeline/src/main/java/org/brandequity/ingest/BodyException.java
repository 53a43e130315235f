package org.brandequity.ingest;

import java.util.List;

/**
 * A request body that cannot be read as items at all: not JSON ({@code 400}) or of a content type
 * this service does not read ({@code 415}). Carries the problems to report.
 */
public final class BodyException extends Exception {
    private final int status;
    private final transient List<Problem> problems;

    BodyException(int status, Problem problem) {
        super(problem.reason(), null, false, false);
        this.status = status;
        this.problems = List.of(problem);
    }

    /** The HTTP status to answer with: 400 or 415. */
    public int status() {
        return status;
    }

    public List<Problem> problems() {
        return problems;
    }
}
