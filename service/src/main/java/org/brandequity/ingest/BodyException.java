package org.brandequity.ingest;

import java.util.List;

/**
 * A request body that cannot be read as items to the end: not JSON or past a parser limit
 * ({@code 400}), too large ({@code 413}), or of a content type this service does not read
 * ({@code 415}). Carries the one problem that stopped reading: the problems of items read before
 * it are not reported, as a malformed body's never were.
 */
public final class BodyException extends Exception {
    private final int status;
    private final transient List<Problem> problems;

    BodyException(int status, Problem problem) {
        super(problem.reason(), null, false, false);
        this.status = status;
        this.problems = List.of(problem);
    }

    /** The HTTP status to answer with: 400, 413 or 415. */
    public int status() {
        return status;
    }

    /** The one problem that ended reading. */
    public List<Problem> problems() {
        return problems;
    }
}
