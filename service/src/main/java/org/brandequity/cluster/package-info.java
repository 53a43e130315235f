/**
 * The Kafka cluster and the schema registry as a deployment uses them: client settings
 * ({@link org.brandequity.cluster.ClientProperties}), topic creation ({@link org.brandequity.cluster.TopicAdmin}),
 * the preflight before {@code run} ({@link org.brandequity.cluster.BrokerPreflight}), one-line broker
 * errors ({@link org.brandequity.cluster.BrokerErrors}), the ACLs a deployment needs
 * ({@link org.brandequity.cluster.DeploymentAcls}) and the schema registry client from config
 * ({@link org.brandequity.cluster.SchemaRegistries}). Below every package that talks to the cluster.
 */
package org.brandequity.cluster;
