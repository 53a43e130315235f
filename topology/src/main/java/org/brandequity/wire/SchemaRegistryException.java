package org.brandequity.wire;

/**
 * The schema registry refused a request or could not be reached.
 *
 * <p>Deliberately not a {@link WireFormatException}: an outage is transient, and turning it into a
 * per-record failure would send valid records to the dead-letter topic.
 */
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Marks "no HTTP answer" (connection refused, timeout) and "no registry error code". */
    public static final int NONE = -1;

    private final String registryUrl;
    private final String subject;
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(
            String message, String registryUrl, String subject, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.registryUrl = registryUrl;
        this.subject = subject;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The registry base URL, without credentials. */
    public String registryUrl() {
        return registryUrl;
    }

    /** The subject the request was about, or null for requests by schema id. */
    public String subject() {
        return subject;
    }

    /** The HTTP status of the last answer, or {@link #NONE} when the registry never answered. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40403), or {@link #NONE} when the answer had none. */
    public int errorCode() {
        return errorCode;
    }
}
