package org.brandequity.query;

/** The state is not servable right now (not running, or ownership moving); asking again later may succeed. 503. */
final class Unavailable extends RuntimeException {
    Unavailable(String message) {
        super(message);
    }
}
