#!/usr/bin/env bash
# Checks that the running server matches its own API description: schemathesis (PyPI, pinned below) generates
# requests from the served /openapi.json and fails on any 5xx or conformance failure (undocumented status code,
# wrong content type, body not matching the response schema, a 2xx for input the schema forbids, no 405 with Allow
# for an unsupported method, a protected operation that answers without credentials, an XML body that does not
# parse).
#
# Three runs against one live `citynet serve`: with a city operator's bearer token (from POST /api/v1/sessions),
# without any credentials, and with a citizen's session on the citizens' routes (government services). Open311 forms get the seeded API key and real service codes part of the time, and path
# ids point at seeded cases and reports part of the time, so the requests also reach the database.
#
# Usage: Tests/Schema/run_schemathesis.sh [--bin PATH] [--port N] [--max-time SECONDS]
#   DATABASE_URL=postgres://…  serve on this (empty, or already migrated) PostgreSQL database; default: a SQLite file.
#   SCHEMATHESIS_SEED=N        repeat a run exactly (the seed of each run is printed).
#   SCHEMATHESIS_VENV=DIR      reuse a virtual environment (created when missing).
#   SCHEMATHESIS_PYTHON=PATH   the Python to create it with (default: python3.13 or python3.12 if one runs, else python3).
# Budget: --max-time seconds per run (default 75), three runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
SCHEMATHESIS_VERSION=4.32.5
BIN="$ROOT/.build/debug/citynet"
PORT=8395
MAX_TIME=75
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --max-time) MAX_TIME=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -x "$BIN" ] || { echo "no citynet binary at $BIN (swift build --product citynet)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/citynet-schemathesis.XXXXXX)
VENV=${SCHEMATHESIS_VENV:-$WORK/venv}
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -n "$SERVER_PID" ] && wait "$SERVER_PID" 2>/dev/null || true
}
trap cleanup EXIT

# Python 3.12 or later where there is one: on 3.11 (Debian 12's), Hypothesis calling ast.parse from two worker threads
# at once trips CPython's "AST constructor recursion depth mismatch" (fixed in 3.12), so there one worker runs.
PYTHON=${SCHEMATHESIS_PYTHON:-python3}
for candidate in python3.13 python3.12; do
    [ -n "${SCHEMATHESIS_PYTHON:-}" ] && break
    if "$candidate" -c 'import sys' >/dev/null 2>&1; then PYTHON=$candidate; break; fi
done
WORKERS=2
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || WORKERS=1
if [ ! -x "$VENV/bin/schemathesis" ] || ! "$VENV/bin/schemathesis" --version | grep -q "$SCHEMATHESIS_VERSION"; then
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

DB_ARGS=()
if [ -z "${DATABASE_URL:-}" ]; then DB_ARGS=(--database "$WORK/schemathesis.sqlite"); fi
BASE="http://127.0.0.1:$PORT"
KEY=$("$BIN" apikey create --name "schemathesis" --scope open311,hotline "${DB_ARGS[@]}" | tail -1)
PASSWORD="schemathesis pass 1"
"$BIN" operator create --username st.city --unit 310000.operations_centre --role city_operator \
    --password "$PASSWORD" "${DB_ARGS[@]}" >/dev/null
"$BIN" serve --port "$PORT" "${DB_ARGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do curl -sf "$BASE/health" >/dev/null && break; sleep 1; done
curl -sf "$BASE/health" >/dev/null || { cat "$WORK/server.log"; echo "server did not start" >&2; exit 1; }

# Seed data the generated requests can find: Open311 requests (each opens a dispatched case) and hotline calls.
TOKEN=$(curl -sf -H 'Content-Type: application/json' -d "{\"username\":\"st.city\",\"password\":\"$PASSWORD\"}" \
    "$BASE/api/v1/sessions" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
SERVICES=(road.ponding sanitation.garbage sanitation.fallen_tree noise.renovation)
for code in "${SERVICES[@]}"; do
    curl -sf -o /dev/null -d "api_key=$KEY&service_code=$code&lat=31.2304&long=121.4737&description=seed" \
        "$BASE/open311/v2/requests.json"
done
for text in "南京东路步行街垃圾桶满了没人清理" "延安中路有人深夜装修噪音很大" "浦东新区张江路积水严重"; do
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        -d "{\"text\":\"$text\",\"channel\":\"phone\"}" "$BASE/api/v1/hotline/reports"
done

# A citizen (government services) with one application, for the citizen's run.
CITIZEN_ID=$(python3 -c 'f="31011519900307123"; w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; print(f+"10X98765432"[sum(int(a)*b for a,b in zip(f,w))%11])')
curl -sf -o /dev/null -H 'Content-Type: application/json' "$BASE/api/v1/citizens" \
    -d "{\"name\":\"张三\",\"identity_number\":\"$CITIZEN_ID\",\"phone\":\"13800138000\",\"password\":\"$PASSWORD\"}"
CITIZEN_TOKEN=$(curl -sf -H 'Content-Type: application/json' "$BASE/api/v1/citizen-sessions" \
    -d "{\"identity_number\":\"$CITIZEN_ID\",\"password\":\"$PASSWORD\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -o /dev/null -H "Authorization: Bearer $CITIZEN_TOKEN" -H 'Content-Type: application/json' \
    -H 'Idempotency-Key: seed' "$BASE/api/v1/me/applications" -d '{"item_code":"SH-YB-0001","region_code":"310115",
    "materials":[{"code":"enrolment_form","content_base64":"JVBERi0xLjQKJSVFT0YK"}]}'

# Known values the generators use part of the time (the rest is generated).
cat >"$WORK/schemathesis.toml" <<EOF
[dictionaries.api_keys]
values = ["$KEY"]
[dictionaries.services]
values = [$(printf '"%s",' "${SERVICES[@]}")]
[dictionaries.case_ids]
values = [1, 2, 3, 4, 5]
[dictionaries.report_ids]
values = [1, 2, 3, 4, 5, 6, 7]
[dictionaries.request_ids]
values = ["1", "2", "3", "4"]

# Characters that broke the server or its XML before (NUL reached PostgreSQL as a 500; U+FFFE/U+FFFF and C0 controls
# were written raw into XML; bidi overrides; a lone CR; a pile of combining marks): every generated string is one of
# them one time in ten.
[dictionaries.hostile]
values = ["x\u0000y", "\u0000", "a\uFFFEb", "\uFFFF", "x\u0001", "\u202Eabc", "a\rb", "e\u0301\u0301\u0301\u0301\u0301"]
[generation]
# Credentials come from the run (a token, or none); generated ones would get the hostile strings above into
# headers, where Vapor drops the connection on a control character instead of answering.
with-security-parameters = false
[generation.dictionaries]
string = { dictionary = "hostile", probability = 0.1 }

# A body too large for the route (413) rejects input as well as a 400 does.
[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 428, 429]

[parameters]
"body.api_key" = { dictionary = "api_keys", probability = 0.7 }
"body.service_code" = { dictionary = "services", probability = 0.5 }
"path.id" = { dictionary = "case_ids", probability = 0.5 }
"path.report_id" = { dictionary = "report_ids", probability = 0.5 }
"path.service_request_id" = { dictionary = "request_ids", probability = 0.5 }
"path.service_code" = { dictionary = "services", probability = 0.5 }
EOF

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
CHECKS=$CHECKS,response_headers_conformance,negative_data_rejection,unsupported_method,allow_header_conformance
CHECKS=$CHECKS,ignored_auth,xml_well_formed  # the last one is ours: Tests/Schema/hooks.py
export SCHEMATHESIS_HOOKS="$ROOT/Tests/Schema/hooks.py"
run() {
    local name=$1
    shift
    local seed=${SCHEMATHESIS_SEED:-$RANDOM$RANDOM}
    echo "-- schemathesis $name (seed $seed, at most ${MAX_TIME}s)"
    local started=$SECONDS
    local status=0
    # From the work directory: schemathesis keeps a cache in the current directory.
    (cd "$WORK" && "$VENV/bin/schemathesis" --no-color --config-file "$WORK/schemathesis.toml" run "$BASE/openapi.json" \
        --url "$BASE" --checks "$CHECKS" --workers "$WORKERS" --max-time "$MAX_TIME" --seed "$seed" \
        --generation-database none --request-timeout 30 \
        --report junit --report-junit-path "$WORK/junit-$name.xml" "$@") >"$WORK/$name.log" 2>&1 || status=$?
    if [ "$status" = 0 ]; then tail -25 "$WORK/$name.log"; else cat "$WORK/$name.log"; fi
    echo "-- schemathesis $name: exit $status after $((SECONDS - started))s (log $WORK/$name.log)"
    return $status
}

failed=0
# The operator's run leaves the session alone (DELETE /api/v1/sessions would end it for every later request);
# signing in and out is exercised by the run without credentials.
run operator -H "Authorization: Bearer $TOKEN" --exclude-path /api/v1/sessions || failed=1
run anonymous || failed=1
# A citizen's session on the citizens' routes (their sign-in and sign-out are exercised without credentials).
run citizen -H "Authorization: Bearer $CITIZEN_TOKEN" --include-path-regex '^/api/v1/(me|service-items)' || failed=1
if [ "$failed" != 0 ]; then
    grep -a "Fatal error\|crashed" "$WORK/server.log" >&2 || true
    echo "schemathesis found failures (logs, JUnit reports and the server log in $WORK)" >&2
    exit 1
fi
echo "schemathesis: no failures"
