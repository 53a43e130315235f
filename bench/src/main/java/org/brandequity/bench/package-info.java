/**
 * The benchmark (bench/run.sh, docs/benchmark.md): {@code Bench} parses the options and runs the
 * selected phases, one class each ({@code ThroughputPhase}, {@code LatencyPhase},
 * {@code AlertLatencyPhase}, {@code ScalePhase}, {@code LatePhase}, {@code IngestPhase},
 * {@code ImportPhase}) on the shared helpers of {@code Phase} and {@code BenchRun} (one real broker
 * and registry, CPU per thread group, the result files). {@code BenchmarkReport} writes the current
 * results table of docs/benchmark.md from the newest result files. Figures live in the result
 * files and that page, never in code. Depends on the service, the demo's simulator and the local
 * cluster; nothing depends on it.
 */
package org.brandequity.bench;
