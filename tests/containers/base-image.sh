#!/usr/bin/env bash
# Test-only container images made on this machine, for places where mcr.microsoft.com and docker.io
# cannot be reached (README "Containers"):
#   - a base image standing in for mcr.microsoft.com/dotnet/aspnet:10.0: a Debian 12 minbase root
#     filesystem (debootstrap from the apt mirror) plus the ASP.NET Core runtime of the installed SDK,
#     user app (uid 1654; like aspnet:10.0 the image does not switch to it, ContainerUser does),
#     ASPNETCORE_HTTP_PORTS=8080; pushed to a local registry (Debian's
#     docker-registry on 127.0.0.1), because the .NET SDK takes its base image from a registry;
#   - a Redis image from Debian's redis-server, tagged as the image Aspire's AddRedis asks for, so
#     that the AppHost runs Redis as a container without pulling.
# Both are cached: they are rebuilt only when this script, the runtime version or the Debian suite
# change. The registry is started once and reused (its address is kept in the cache directory).
# The last two lines of the output are REGISTRY=<host:port> and BASE_IMAGE=<reference>.
#
# Needs root (debootstrap), podman, debootstrap, docker-registry and curl (test.sh installs them).
# Environment: LNBITS_MCP_CONTAINER_CACHE (cache directory), DEBIAN_MIRROR (default: the apt mirror
# of this machine), REDIS_IMAGE (default: the reference Aspire.Hosting.Redis 13.6 uses).
set -euo pipefail
shopt -s inherit_errexit

SUITE=bookworm
CACHE=${LNBITS_MCP_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lnbits-mcp-containers}
REDIS_IMAGE=${REDIS_IMAGE:-docker.io/library/redis:8.6}
BASE_REPOSITORY=lnbits-mcp-test/aspnet
REDIS_REPOSITORY=localhost/lnbits-mcp-test/redis
DOTNET_ROOT_DIR=${DOTNET_ROOT:-$(dirname "$(readlink -f "$(command -v dotnet)")")}
APP_UID=1654

say() { echo "base-image.sh: $*" >&2; }
fail() { say "$*"; exit 1; }

for tool in podman debootstrap docker-registry curl; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (apt-get install podman runc docker-registry debootstrap curl)"
done
[ "$(id -u)" -eq 0 ] || fail "must run as root (debootstrap, podman as root)"

mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local uri
  uri=$(grep -hs -m1 -E '^URIs: .*/debian/?$' /etc/apt/sources.list.d/*.sources || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hs -m1 -E "^deb [^ ]+/debian/? $SUITE " /etc/apt/sources.list | awk '{print $2}' || true)
  else
    uri=${uri#URIs: }
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# The newest ASP.NET Core runtime of the installed SDK and the .NET runtime of the same version.
ASPNET_VERSION=$(ls "$DOTNET_ROOT_DIR/shared/Microsoft.AspNetCore.App" | sort -V | tail -n1)
[ -d "$DOTNET_ROOT_DIR/shared/Microsoft.NETCore.App/$ASPNET_VERSION" ] \
  || fail "no Microsoft.NETCore.App $ASPNET_VERSION next to Microsoft.AspNetCore.App $ASPNET_VERSION in $DOTNET_ROOT_DIR"
HOSTFXR_VERSION=$(ls "$DOTNET_ROOT_DIR/host/fxr" | sort -V | tail -n1)

KEY=$( { sha256sum "$0" | cut -d' ' -f1; echo "$SUITE $ASPNET_VERSION $HOSTFXR_VERSION $APP_UID"; } | sha256sum | cut -c1-12)
BASE_TAG="$ASPNET_VERSION-$KEY"
REDIS_TAG="$SUITE-$KEY"

mkdir -p "$CACHE"
exec 9>"$CACHE/lock"
flock 9 # one build at a time on this machine; the lock is released when this script exits

# A Debian minbase root filesystem tarball with the given extra packages, made once per suite,
# package list and mirror (editing this script rebuilds the images, not the root filesystems).
rootfs() {
  local name=$1 include=$2 tarball
  tarball="$CACHE/$name-rootfs-$(echo "$SUITE $include $(mirror)" | sha256sum | cut -c1-12).tar"
  if [ ! -s "$tarball" ]; then
    local started=$SECONDS work
    work=$(mktemp -d "$CACHE/$name-XXXXXX")
    mkdir -p "$CACHE/debs"
    say "debootstrap $SUITE minbase (+ $include) from $(mirror)"
    debootstrap --variant=minbase --include="$include" --cache-dir="$CACHE/debs" \
      "$SUITE" "$work/root" "$(mirror)" >"$CACHE/$name-debootstrap.log" 2>&1 \
      || { rm -rf "$work"; fail "debootstrap failed, see $CACHE/$name-debootstrap.log"; }
    rm -rf "$work/root"/var/cache/apt/archives/*.deb "$work/root"/var/lib/apt/lists/* \
      "$work/root"/usr/share/doc "$work/root"/usr/share/man "$work/root"/usr/share/locale
    tar --numeric-owner -C "$work/root" -cf "$tarball.partial" .
    mv "$tarball.partial" "$tarball"
    rm -rf "$work"
    say "$name root filesystem made in $((SECONDS - started)) s"
  fi
  touch "$tarball" # used now: kept by prune
  echo "$tarball"
}

# The registry: reused when the one recorded in the cache answers, else started on a free port.
registry() {
  local address
  address=$(cat "$CACHE/registry.address" 2>/dev/null || true)
  if [ -n "$address" ] && curl -fsS --max-time 2 "http://$address/v2/" >/dev/null 2>&1; then
    echo "$address"; return
  fi
  local port
  for _ in $(seq 1 50); do
    port=$(( 20000 + RANDOM % 10000 ))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break # nothing answers there: free
  done
  address="127.0.0.1:$port"
  mkdir -p "$CACHE/registry"
  cat >"$CACHE/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $CACHE/registry
  delete:
    enabled: true
http:
  addr: $address
EOF
  # Detached from this script: its own session, no inherited output pipes, no lock descriptor.
  setsid docker-registry serve "$CACHE/registry.yml" </dev/null >"$CACHE/registry.log" 2>&1 9>&- &
  echo $! >"$CACHE/registry.pid"
  for _ in $(seq 1 100); do
    if curl -fsS --max-time 1 "http://$address/v2/" >/dev/null 2>&1; then
      echo "$address" >"$CACHE/registry.address"
      echo "$address"; return
    fi
    sleep 0.1
  done
  fail "docker-registry did not answer on $address, see $CACHE/registry.log"
}

# A build context holding the root filesystem tarball (hard-linked when possible).
new_context() {
  local context
  context=$(mktemp -d "$CACHE/$1-context-XXXXXX")
  ln "$2" "$context/rootfs.tar" 2>/dev/null || cp "$2" "$context/rootfs.tar"
  echo "$context"
}

# Builds the Containerfile of a context as an image, then removes the context.
build_image() {
  local what=$1 image=$2 context=$3 started=$4
  podman build --quiet --layers -f "$context/Containerfile" -t "$image" "$context" >/dev/null \
    || { rm -rf "$context"; fail "podman build of the $what image failed"; }
  rm -rf "$context"
  say "$what image $image built in $((SECONDS - started)) s"
}

build_base() {
  local image="localhost/$BASE_REPOSITORY:$BASE_TAG"
  if podman image exists "$image"; then echo "$image"; return; fi
  local started=$SECONDS tarball context
  tarball=$(rootfs aspnet "ca-certificates,libicu72,libssl3,tzdata")
  context=$(new_context aspnet "$tarball")
  # The runtime layer: the dotnet host, hostfxr, and the two shared frameworks of one version.
  local dotnet="$context/dotnet"
  mkdir -p "$dotnet/host/fxr" "$dotnet/shared/Microsoft.NETCore.App" "$dotnet/shared/Microsoft.AspNetCore.App"
  cp -a "$DOTNET_ROOT_DIR/dotnet" "$dotnet/"
  cp -a "$DOTNET_ROOT_DIR/host/fxr/$HOSTFXR_VERSION" "$dotnet/host/fxr/"
  cp -a "$DOTNET_ROOT_DIR/shared/Microsoft.NETCore.App/$ASPNET_VERSION" "$dotnet/shared/Microsoft.NETCore.App/"
  cp -a "$DOTNET_ROOT_DIR/shared/Microsoft.AspNetCore.App/$ASPNET_VERSION" "$dotnet/shared/Microsoft.AspNetCore.App/"
  mkdir -p "$context/links/usr/bin" "$context/home/app"
  ln -s /usr/share/dotnet/dotnet "$context/links/usr/bin/dotnet"
  tar -C "$context/links" -cf "$context/links.tar" usr
  # The user app of the mcr.microsoft.com/dotnet/aspnet images, added to the files here: a RUN
  # step would need a working container runtime at build time.
  { tar -xOf "$tarball" ./etc/passwd; printf 'app:x:%s:%s::/home/app:/usr/sbin/nologin\n' "$APP_UID" "$APP_UID"; } >"$context/passwd"
  { tar -xOf "$tarball" ./etc/group; printf 'app:x:%s:\n' "$APP_UID"; } >"$context/group"
  cat >"$context/Containerfile" <<EOF
FROM scratch
ADD rootfs.tar /
COPY dotnet /usr/share/dotnet
ADD links.tar /
COPY passwd group /etc/
COPY --chown=$APP_UID:$APP_UID home/app /home/app
ENV APP_UID=$APP_UID \\
    ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    DOTNET_VERSION=$ASPNET_VERSION \\
    ASPNET_VERSION=$ASPNET_VERSION
LABEL org.opencontainers.image.description="Test-only stand-in for mcr.microsoft.com/dotnet/aspnet:10.0 (Debian $SUITE minbase + ASP.NET Core $ASPNET_VERSION)"
EOF
  build_image base "$image" "$context" "$started"
  echo "$image"
}

build_redis() {
  local image="$REDIS_REPOSITORY:$REDIS_TAG"
  if ! podman image exists "$image"; then
    local started=$SECONDS tarball context
    tarball=$(rootfs redis "redis-server")
    context=$(new_context redis "$tarball")
    mkdir -p "$context/data"
    local redis_uid
    redis_uid=$(tar -xOf "$tarball" ./etc/passwd | awk -F: '$1=="redis"{print $3}')
    [ -n "$redis_uid" ] || fail "the redis rootfs has no user redis"
    # Like the official image: redis-server on 6379, protected mode off (the network decides who
    # connects), data in /data owned by the redis user, and no USER: Aspire starts the official image
    # through /bin/sh (not its entrypoint, which would switch to redis), so there Redis runs as root
    # and can write a data volume whoever owns its files; as the redis user it stopped at once on a
    # volume kept from another image build.
    cat >"$context/Containerfile" <<EOF
FROM scratch
ADD rootfs.tar /
COPY --chown=$redis_uid:$redis_uid data /data
WORKDIR /data
EXPOSE 6379
CMD ["redis-server", "--protected-mode", "no"]
LABEL org.opencontainers.image.description="Test-only Redis image: Debian $SUITE redis-server"
EOF
    build_image redis "$image" "$context" "$started"
  fi
  podman tag "$image" "$REDIS_IMAGE"
  echo "$image"
}

# Images of earlier keys (older inputs) and root filesystems unused for a month: removed.
prune() {
  find "$CACHE" -maxdepth 1 -name '*-rootfs-*.tar' -mtime +30 -delete
  podman images --format '{{.Repository}}:{{.Tag}}' \
    | grep -E "/lnbits-mcp-test/(aspnet|redis):" | grep -v -- "-$KEY\$" \
    | xargs -r podman rmi >/dev/null 2>&1 || true
}

prune
base=$(build_base)
address=$(registry)
remote="$address/$BASE_REPOSITORY:$BASE_TAG"
if ! curl -fs --max-time 5 -o /dev/null \
  -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
  -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
  "http://$address/v2/$BASE_REPOSITORY/manifests/$BASE_TAG"; then
  podman push --quiet --tls-verify=false "$base" "docker://$remote" >/dev/null \
    || fail "podman push to $address failed"
  say "pushed $remote"
fi
build_redis >/dev/null

echo "REDIS_IMAGE=$REDIS_IMAGE"
echo "REGISTRY=$address"
echo "BASE_IMAGE=$remote"
