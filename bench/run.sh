#!/usr/bin/env sh
# Builds every module plus the benchmark (Maven profile "bench") and runs the benchmark.
# Arguments go to the benchmark: --set KEY=VALUE (bench.*, pipeline and simulator keys), --config FILE,
# --label NAME; --help lists the bench.* keys. BENCH_JVM_FLAGS replaces the JVM flags.
# Results: bench/results/bench-<time>-<label>.json and .md; the bench then regenerates the current-results
# table in docs/benchmark.md from the newest result files (BenchmarkReport). See docs/benchmark.md.
set -e
cd "$(dirname "$0")/.."
mvn -q -B -Pbench -DskipTests package
exec java ${BENCH_JVM_FLAGS:--Xms2g -Xmx2g} -jar bench/target/brand-equity-bench.jar "$@"
