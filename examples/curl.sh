#!/bin/sh
# Posts examples/interactions.ndjson to the ingestion endpoint of the running demo (or of `ingest`).
# 202 {"accepted": 5, ...} once Kafka acknowledged every event; 400 with every problem otherwise.
# Posting it again is safe: the event ids count once. With auth on, add: -H "Authorization: Bearer $TOKEN"
# The events' times are fixed: the pipeline counts them (late) within late.horizon (7d) of that date and
# dead-letters them TOO_LATE after; `import --shift-to-now examples/interactions.ndjson` moves them to now.
set -eu
URL="${1:-http://localhost:8090/v1/interactions}"
cd "$(dirname "$0")/.."
curl -sS -H 'Content-Type: application/x-ndjson' --data-binary @examples/interactions.ndjson "$URL"
echo
