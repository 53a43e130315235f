package org.brandequity.query;

/** The store holds nothing for the key. 404. */
final class NotFound extends RuntimeException {
    NotFound(String message) {
        super(message);
    }
}
