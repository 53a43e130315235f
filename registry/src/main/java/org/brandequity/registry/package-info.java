/**
 * The schema registry runner: Apicurio Registry 2.4.2 (which serves the Confluent REST API under
 * {@code /apis/ccompat/v7}) repackaged from Maven Central into one runnable jar, with the two beans
 * that build needs: the stand-in for an extension whose deployment module is not on Maven Central,
 * and a watchdog that stops the registry when the process that launched it ends. Started by
 * {@code local-cluster}; depends on nothing of the project.
 */
package org.brandequity.registry;
