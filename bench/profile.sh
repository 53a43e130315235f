#!/usr/bin/env sh
# CPU profile of the throughput phase with async-profiler (Maven Central: tools.profiler:async-profiler,
# its converter tools.profiler:jfr-converter): the flame graph of the timed pipeline's stream threads as
# HTML and as a PNG (headless Chromium), and the table of where each microsecond per event goes
# (ProfileBreakdown). docs/benchmark.md, "Where the time goes", shows them.
# Usage: bench/profile.sh LABEL [--set KEY=VALUE ...]   (the arguments after LABEL go to the bench)
# Writes bench/results/profiles/<UTC time>-LABEL/: bench-*.json (the run), stream-threads.collapsed.gz
# (the stacks the picture and the table come from), breakdown.md, flamegraph.html, flamegraph.png.
# Run it alone on the machine, as bench/run.sh: the profile is of CPU time, but the rates are wall-clock.
set -e
cd "$(dirname "$0")/.."
label=${1:?usage: bench/profile.sh LABEL [--set KEY=VALUE ...]}
shift
out="bench/results/profiles/$(date -u +%Y%m%d-%H%M%S)-$label"
tools=bench/target/profiler
mvn -q -B -Pbench -DskipTests package
mvn -q -B dependency:copy -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory="$tools"
mvn -q -B dependency:copy -Dartifact=tools.profiler:jfr-converter:4.2 -DoutputDirectory="$tools"
(cd "$tools" && unzip -o -q async-profiler-4.2.jar 'linux-x64/libasyncProfiler.so')
mkdir -p "$out"
# cpu: perf events (kernel.perf_event_paranoid <= 2); one sample per ~1 ms of CPU per thread, thread names kept.
java -Xms2g -Xmx2g \
  "-agentpath:$PWD/$tools/linux-x64/libasyncProfiler.so=start,event=cpu,interval=997us,threads,collapsed,file=$PWD/$out/all.collapsed" \
  -jar bench/target/brand-equity-bench.jar --label "profile-$label" --set bench.phases=throughput --set "bench.out=$out" "$@"
java -cp bench/target/brand-equity-bench.jar org.brandequity.bench.ProfileBreakdown "$out/all.collapsed" "$out"/bench-*.json "$out"
rm "$out/all.collapsed"  # every thread of the JVM, ~100 MB: the stream threads' stacks are kept
gunzip -c "$out/stream-threads.collapsed.gz" > "$out/stream-threads.collapsed"
java -jar "$tools/jfr-converter-4.2.jar" -o html --title "Timed pipeline, stream threads: $label" --minwidth 0.3 \
  "$out/stream-threads.collapsed" "$out/flamegraph.html"
rm "$out/stream-threads.collapsed"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1600,1100 \
  "--screenshot=$PWD/$out/flamegraph.png" "file://$PWD/$out/flamegraph.html" 2>/dev/null
echo "Profile: $out"
