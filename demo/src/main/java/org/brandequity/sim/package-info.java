/**
 * Simulated customers for demos and load tests: a seeded population whose lifecycle journeys
 * ({@link org.brandequity.sim.CustomerJourneys}) produce realistic interactions and profiles,
 * disturbed by scripted {@link org.brandequity.sim.Incident}s, and a
 * {@link org.brandequity.sim.Simulator} that produces them to Kafka, paced at
 * {@code simulator.rate} events per second or, at rate 0, as fast as the producer takes them. Configured
 * by {@link org.brandequity.sim.SimulationConfig} ({@code simulator.*} keys).
 */
package org.brandequity.sim;
