package org.brandequity.cluster;

/**
 * The pipeline cannot use its Kafka cluster, for a reason an operator fixes in the config or the
 * cluster (credentials, truststore, ACLs, address). The message is one line naming what is wrong;
 * {@code run} prints it as its only error line and exits with status 1.
 */
public final class BrokerAccessException extends RuntimeException {
    public BrokerAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
