#!/usr/bin/env bash
# The console's browser stage on one database, as .ci/run runs it on each: creates the operators and API keys the
# stories sign in with, serves the console, optionally checks the Open311 interface with the georeport client and the
# JSON Schemas (--interop), then drives every story in headless Chromium (Tests/Browser/console_browser.py).
#
#   Tests/Browser/run_console.sh --bin .build/debug/citynet --port 8391 [--interop] [-- console_browser.py flags]
#
# The database: a fresh SQLite file in a temporary directory, or, when DATABASE_URL is set (postgres://…, an empty
# database), that PostgreSQL database; the seeded map story then serves its own history from MAP_STORY_DATABASE_URL
# (another empty PostgreSQL database, required). Without the key variables (CITYNET_IDENTITY_KEY,
# CITYNET_LICENCE_KEYS, CITYNET_STATUS_CODE_KEYS) a PostgreSQL run is given fresh random keys; a SQLite run keeps
# them in files beside the database.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="" PORT="" INTEROP=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --interop) INTEROP=1; shift ;;
        --) shift; break ;;
        *) echo "run_console.sh: unknown argument $1 (see the header for usage)" >&2; exit 2 ;;
    esac
done
[ -x "$BIN" ] && [ -n "$PORT" ] || { echo "run_console.sh: --bin (an executable citynet) and --port are required" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
WORK=$(mktemp -d /tmp/citynet-console.XXXXXX)
DB="$WORK/ci.sqlite"  # DATABASE_URL, when set, takes precedence over --database in every command below
if [ -n "${DATABASE_URL:-}" ]; then
    [ -n "${MAP_STORY_DATABASE_URL:-}" ] || { echo "run_console.sh: a PostgreSQL run needs MAP_STORY_DATABASE_URL" >&2; exit 2; }
    random_key() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }
    export CITYNET_IDENTITY_KEY=${CITYNET_IDENTITY_KEY:-$(random_key)}
    export CITYNET_LICENCE_KEYS=${CITYNET_LICENCE_KEYS:-"ci1 $(random_key)"}
    export CITYNET_STATUS_CODE_KEYS=${CITYNET_STATUS_CODE_KEYS:-"cs1 $(random_key)"}
    echo "console on PostgreSQL (${DATABASE_URL%%@*}@…)"
else
    echo "console on SQLite ($DB)"
fi

KEY=$("$BIN" apikey create --name "ci interop" --scope open311,hotline --database "$DB" | tail -1)
FACTS_KEY=$("$BIN" apikey create --name "ci carrier" --scope facts_carrier --database "$DB" | tail -1)
operator() {  # username unit role password
    "$BIN" operator create --username "$1" --unit "$2" --role "$3" --password "$4" --database "$DB" >/dev/null
}
operator ci.city 310000.operations_centre city_operator "ci browser pass 1"
operator ci.grid 310101002.greening_sanitation grid_worker "ci grid pass 1"
operator ci.caseworker 310115.police caseworker "ci caseworker pass 1"
# The newborn bundle's desks (bundle_story.py) and the incident room's units (incident_room.py): console_browser.py's
# defaults for --health/--medins/--hr/--transport/--traffic.
for desk in health:310115.health medins:310115.medical_insurance hr:310000.human_resources \
    transport:310115.transport traffic:310115.traffic_police; do
    operator "ci.${desk%%:*}" "${desk#*:}" caseworker "ci ${desk%%:*} pass 1"
done
# incident_room.py runs `citynet incident simulate ferry` on the live server's database; map_story.py seeds a history
# of its own with the same binary.
export INCIDENT_ROOM_BIN="$BIN" INCIDENT_ROOM_DATABASE="$DB"

"$BIN" serve --database "$DB" --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "the server did not start:" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }

if [ -n "$INTEROP" ]; then
    python3 Tests/Interop/open311_interop.py --base "http://127.0.0.1:$PORT/open311/v2" --api-key="$KEY" \
        --schemas Tests/Open311Tests/Fixtures
    python3 Tests/Open311Tests/Fixtures/validate_schemas.py
    python3 Tests/Open311Tests/Fixtures/validate_schemas.py --self-test
fi

python3 Tests/Browser/console_browser.py --base "http://127.0.0.1:$PORT" --username ci.city \
    --password "ci browser pass 1" --api-key="$KEY" --grid-username ci.grid --grid-password "ci grid pass 1" \
    --caseworker-username ci.caseworker --caseworker-password "ci caseworker pass 1" --facts-key="$FACTS_KEY" \
    --screenshots "$WORK/screenshots" "$@"
echo "server log and screenshots: $WORK"
