#!/usr/bin/env bash
# The load benchmark (README, Performance): builds Release, then starts redis-server, the LNbits sandbox,
# two servers, the edge and the reference servers on 127.0.0.1, loads them with wrk and writes the
# Markdown table to ${BENCH_RESULTS:-~/lnbits-mcp-bench}/<timestamp>.md. Options: bench/load.sh --help.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in wrk redis-server dotnet; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    case "$tool" in
      wrk) echo "bench/load.sh: wrk (the load generator) is missing: sudo apt-get install wrk" >&2 ;;
      redis-server) echo "bench/load.sh: redis-server is missing: sudo apt-get install redis-server" >&2 ;;
      *) echo "bench/load.sh: the .NET 10 SDK is missing" >&2 ;;
    esac
    exit 2
  fi
done

echo "bench/load.sh: building Release"
for project in LnbitsMcp.Server LnbitsMcp.Edge tests/LnbitsMcp.LnbitsSandbox bench/LnbitsMcp.Bench.ReferenceServer bench/LnbitsMcp.Bench.ReferenceProxy bench/LnbitsMcp.LoadBench; do
  dotnet build -c Release --nologo -v q "$project" >/dev/null
done

# --compare CHECKOUT: that checkout's server is loaded too (the driver checks that it is a checkout).
previous=""
for argument in "$@"; do
  if [ "$previous" = "--compare" ] && [ -f "$argument/LnbitsMcp.sln" ]; then
    echo "bench/load.sh: building Release of $argument/LnbitsMcp.Server"
    dotnet build -c Release --nologo -v q "$argument/LnbitsMcp.Server" >/dev/null
  fi
  previous="$argument"
done

# The driver starts every process and kills them when it ends; this trap covers a driver killed outright.
driver=""
cleanup() {
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    wait "$driver" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

dotnet bench/LnbitsMcp.LoadBench/bin/Release/net10.0/LnbitsMcp.LoadBench.dll "$@" &
driver=$!
wait "$driver"
