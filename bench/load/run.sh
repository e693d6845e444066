#!/usr/bin/env bash
# Load benchmark (not a test, not run in CI): gunicorn with the production settings on
# Postgres and Redis, wrk on the same machine. See docs/benchmarks.md ("Load").
#
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/station_bench bench/load/run.sh
#
# The database named in BENCH_DATABASE_URL is DROPPED and recreated. Needs a Postgres server,
# redis-server on PATH (a private one is started on BENCH_REDIS_PORT, default 6390) and wrk
# (Debian's package, installed here when missing). Other knobs: BENCH_DURATION (seconds per
# measurement, default 20), BENCH_PORT (8077), BENCH_GUNICORN_ARGS, BENCH_WRK_THREADS (2),
# BENCH_WRK_CONNECTIONS (16); BENCH_REUSE_DB=1 re-runs on the previous run's data.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash .ci/system-packages wrk
make --quiet install
exec .venv/bin/python bench/load/bench.py "$@"
