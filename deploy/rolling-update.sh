#!/usr/bin/env bash
# Roll a new release over a running deploy/compose.yaml, one process at a time,
# so visitors keep being answered (docs/deploy.md, "Releases").
#
#   RELEASE=<tag> deploy/rolling-update.sh
#
# Builds the image for RELEASE when it is not there yet (the repository must
# then be at that release, with its trained model in models/), migrates the
# database once, then replaces the action servers, the Rasa servers and the
# gateways one by one, waiting for each to report healthy before the next.
set -euo pipefail
cd "$(dirname "$0")"
: "${RELEASE:?set RELEASE to the image tag of the new release}"
export RELEASE

compose() { docker compose -f compose.yaml "$@"; }

wait_healthy() {
    local service=$1 container status deadline=$((SECONDS + 900))
    container=$(compose ps -q "$service")
    while true; do
        status=$(docker inspect -f '{{.State.Health.Status}}' "$container")
        if [ "$status" = healthy ]; then
            echo "$service is healthy"
            return 0
        fi
        if [ "$status" = unhealthy ] || [ "$SECONDS" -gt "$deadline" ]; then
            echo "error: $service is $status; the roll-out stops here (the others still run the old release)" >&2
            return 1
        fi
        sleep 5
    done
}

if ! docker image inspect "british-academy-assistant:$RELEASE" >/dev/null 2>&1; then
    compose build migrate
fi
compose run --rm migrate
for service in actions-1 actions-2 rasa-1 rasa-2 gateway-1 gateway-2; do
    compose up -d --no-deps "$service"
    wait_healthy "$service"
done
echo "release $RELEASE is running on every process"
