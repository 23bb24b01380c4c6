#!/usr/bin/env bash
# The Orchestrator load harness: builds what it needs, runs every workload end to end on a fresh
# database each, prints a table and writes orchestrator-bench/target/bench-results.json.
#
#   orchestrator-bench/bench.sh [--store sqlite|postgres|both] [--quick] [--workloads single,noop,latency,...]
#                               [--repeats N] [--process-concurrency N] [--skip-build]
#   workloads: single noop latency cluster cli process memory idle history (default: all). Each runs a
#   warm-up pass, then --repeats measured passes (default 3); the JSON keeps median, min and max.
#   single, noop (20 slots) and latency are measured against db-scheduler 16.12.0 on the same
#   PostgreSQL in the same pass; cli times the orchestrator-examples launcher on SQLite.
#   environment: BENCH_PG_URL (PostgreSQL base URL), BENCH_POLL_MS (orchestrator poll interval),
#                BENCH_CLI_BEFORE (an older build's orchestrator launcher, timed beside this one by cli)
#
# PostgreSQL is expected on 127.0.0.1:5432 (user postgres, database test); each workload gets its
# own schema, dropped afterwards. Override with BENCH_PG_URL=jdbc:postgresql://...?user=...
# --quick sizes are small (the warm-up pass always uses them); see the README for how long a full run takes.
set -euo pipefail
cd "$(dirname "$0")/.."

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      break
    fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ]; then
  echo "bench.sh: no JDK 21 or newer found; set JAVA_HOME to one" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"

build=1
store=both
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-build) build=0 ;;
    --store) store="$2"; args+=("$1" "$2"); shift ;;
    --store=*) store="${1#--store=}"; args+=(--store "$store") ;;
    *) args+=("$1") ;;
  esac
  shift
done

if [ "$store" != sqlite ] && ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "bench.sh: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
fi

if [ "$build" = 1 ]; then
  # One reactor build, nothing installed into ~/.m2: the bench jar and the CLI (for the cli workload).
  echo "bench.sh: building orchestrator-bench and orchestrator-examples with what they need (skipping tests)" >&2
  mvn -q -B -Dstyle.color=never -pl orchestrator-bench,orchestrator-examples -am package -DskipTests 2>&1 | grep -v 'WARNING' >&2 || true
fi
jar=orchestrator-bench/target/benchmarks.jar
if [ ! -f "$jar" ]; then
  echo "bench.sh: $jar is missing; the build failed (run mvn -pl orchestrator-bench,orchestrator-examples -am package -DskipTests)" >&2
  exit 1
fi

pg=()
if [ -n "${BENCH_PG_URL:-}" ]; then pg+=("-Dbench.pg.url=$BENCH_PG_URL"); fi
# BENCH_POLL_MS: the orchestrators' poll interval (default: the builder's 5 s).
if [ -n "${BENCH_POLL_MS:-}" ]; then pg+=("-Dbench.pollMillis=$BENCH_POLL_MS"); fi
# BENCH_CLI_BEFORE: another build's launcher script, timed beside this one by the cli workload.
if [ -n "${BENCH_CLI_BEFORE:-}" ]; then pg+=("-Dbench.cli.before=$BENCH_CLI_BEFORE"); fi
# jOOQ's version-mismatch warning on PostgreSQL 15 is noise here (see the CLI's Main).
exec java -Xmx2g --enable-native-access=ALL-UNNAMED -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport=error "${pg[@]}" \
  -cp "$jar" dev.orchestrator.bench.LoadHarness --out orchestrator-bench/target/bench-results.json "${args[@]}"
