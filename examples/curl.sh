#!/bin/sh
# Posts three interactions, stamped with the current time, to the ingestion endpoint of the running
# demo (or of `ingest`): 202 {"accepted": 3, ...} once Kafka acknowledged every one of them; 400 with
# every problem otherwise. Posting again is safe: the event ids count once (within dedup.horizon).
# With authentication on: TOKEN=... examples/curl.sh
# examples/interactions.ndjson holds more events with fixed times (import it with --shift-to-now).
set -eu
URL="${1:-http://localhost:8090/v1/interactions}"
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
curl -sS -H 'Content-Type: application/x-ndjson' ${TOKEN:+-H "Authorization: Bearer $TOKEN"} --data-binary @- "$URL" <<NDJSON
{"eventId":"curl-example-1","customerId":"cust-00017","eventTime":"$NOW","touchpoint":"CHECKOUT","stage":"PURCHASE","channel":"web","outcome":"SUCCESS","spend":{"amount":129.90,"currency":"EUR"}}
{"eventId":"curl-example-2","customerId":"cust-00342","eventTime":"$NOW","touchpoint":"SUPPORT_CONTACT","stage":"SERVICE","channel":"phone","effort":2,"outcome":"FAILURE","sentiment":-0.55}
{"eventId":"curl-example-3","customerId":"cust-01204","eventTime":"$NOW","touchpoint":"DELIVERY","stage":"PURCHASE","channel":"email","likelihoodToRecommend":9,"rating":5,"sentiment":0.8}
NDJSON
echo
