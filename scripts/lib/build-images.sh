# Base images for builds from source (libs/build's LOCAL_BASE_IMAGES), made from what this machine already has:
# no registry can be pulled from here, so each image is a `FROM scratch` root file system assembled from the host's
# own binaries and pushed to the local registry.
#
#   $REGISTRY_ADDR/wharf/base/node:20    node + the libraries ldd lists + npm + a static busybox (/bin/sh, …)
#   $REGISTRY_ADDR/wharf/base/python:3   Debian's python3.11 + its standard library + ldd libraries + busybox
#   $REGISTRY_ADDR/wharf/base/static:1   busybox alone (httpd serves /www on 8080)
#
# Sourced after scripts/lib/common.sh (log, die, as_root, apt_install, REGISTRY_ADDR). Idempotent: an image already
# in the registry is left alone, so a second run costs three HEAD requests (BUILD_BASE_REBUILD=1 builds and pushes
# them again). Go and Java bases are not provided.

BUILD_BASE_PREFIX="${REGISTRY_ADDR:-127.0.0.1:5000}/wharf/base"
BUILD_BASE_DOCKER="${BUILD_BASE_DOCKER:-/usr/bin/docker}"
BUILD_BASE_PYTHON="python3.11"

# True when the registry holds <repo>:<tag> (repo without the registry address).
_base_image_in_registry() {
  curl -fsS -o /dev/null -I \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://${REGISTRY_ADDR:-127.0.0.1:5000}/v2/$1/manifests/$2" 2>/dev/null
}

# Copies host paths (files or symlinks) into the root file system $1, keeping their absolute paths.
_base_copy_paths() {
  local rootfs="$1"
  shift
  printf '%s\n' "$@" | sed 's|^/||' | tar -C / --no-recursion -cf - -T - | tar -C "$rootfs" -xf -
}

# Copies the shared libraries that binaries need (as ldd resolves them on this host) to the same paths.
_base_copy_libs() {
  local rootfs="$1" lib
  shift
  for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && NF > 1 { print $1 }' | sort -u); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

# The skeleton every base shares: busybox as /bin/busybox with its applets as symlinks, /etc/passwd, /tmp, /root.
_base_skeleton() {
  local rootfs="$1" applet
  mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,tmp,root}
  chmod 1777 "$rootfs/tmp"
  cp /usr/bin/busybox "$rootfs/bin/busybox"
  for applet in $(/usr/bin/busybox --list-full); do
    [ -e "$rootfs/$applet" ] || ln -s /bin/busybox "$rootfs/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
}

_base_rootfs_node() {
  local rootfs="$1" node npm tool
  # the node on PATH and the npm beside it (Debian: /usr/bin/node, /usr/lib/node_modules/npm; also nvm and tarballs)
  node="$(readlink -f "$(command -v node)")" || die "the node base image needs node on PATH"
  npm="$(dirname "$(dirname "$node")")/lib/node_modules/npm"
  [ -f "$npm/bin/npm-cli.js" ] || npm=/usr/lib/node_modules/npm
  [ -f "$npm/bin/npm-cli.js" ] || die "the node base image needs npm (looked beside $node and in /usr/lib/node_modules)"
  [ "$("$node" -p 'process.versions.node.split(".")[0]')" = 20 ] \
    || log "note: $BUILD_BASE_PREFIX/node:20 gets this machine's node $("$node" -v)"
  cp "$node" "$rootfs/usr/bin/node"
  _base_copy_libs "$rootfs" "$node"
  mkdir -p "$rootfs/usr/lib/node_modules"
  cp -a "$npm" "$rootfs/usr/lib/node_modules/npm"
  for tool in npm npx; do
    printf '#!/bin/sh\nexec /usr/bin/node /usr/lib/node_modules/npm/bin/%s-cli.js "$@"\n' "$tool" >"$rootfs/usr/bin/$tool"
    chmod 755 "$rootfs/usr/bin/$tool"
  done
  cat >"$rootfs/Dockerfile" <<'EOF'
FROM scratch
COPY . /
ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root \
    NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_FUND=false NPM_CONFIG_AUDIT=false
CMD ["node"]
EOF
}

_base_rootfs_python() {
  local rootfs="$1" py="/usr/bin/$BUILD_BASE_PYTHON" pkgs
  pkgs="$BUILD_BASE_PYTHON-minimal lib$BUILD_BASE_PYTHON-minimal lib$BUILD_BASE_PYTHON-stdlib"
  # shellcheck disable=SC2086
  dpkg -s $pkgs >/dev/null 2>&1 || apt_install $pkgs
  local files=() f pyc
  # shellcheck disable=SC2086
  while IFS= read -r f; do
    case "$f" in /usr/share/*) continue ;; esac
    [ -f "$f" ] || [ -L "$f" ] || continue
    files+=("$f")
    # the byte code Debian compiled at install time, so imports need not compile (nor write) anything
    if [[ "$f" == *.py ]]; then
      pyc="$(dirname "$f")/__pycache__/$(basename "$f" .py).cpython-311.pyc"
      [ -f "$pyc" ] && files+=("$pyc")
    fi
  done < <(dpkg -L $pkgs)
  _base_copy_paths "$rootfs" "${files[@]}"
  _base_copy_libs "$rootfs" "$py" /usr/lib/"$BUILD_BASE_PYTHON"/lib-dynload/*.so
  ln -s "$BUILD_BASE_PYTHON" "$rootfs/usr/bin/python3"
  ln -s "$BUILD_BASE_PYTHON" "$rootfs/usr/bin/python"
  cat >"$rootfs/Dockerfile" <<'EOF'
FROM scratch
COPY . /
ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 PYTHONUNBUFFERED=1
CMD ["python3"]
EOF
}

_base_rootfs_static() {
  mkdir -p "$1/www"
  cat >"$1/Dockerfile" <<'EOF'
FROM scratch
COPY . /
ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root
EXPOSE 8080
CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
EOF
}

# Builds and pushes one base image (kind: node | python | static) unless the registry already has it (or
# BUILD_BASE_REBUILD=1: after the machine's node or python changed).
_ensure_base_image() {
  local kind="$1" tag="$2" repo="wharf/base/$1"
  [ "${BUILD_BASE_REBUILD:-}" != 1 ] && _base_image_in_registry "$repo" "$tag" && return 0
  local ref="$BUILD_BASE_PREFIX/$kind:$tag" dir
  log "building the $kind base image $ref"
  dir="$(mktemp -d)"
  (
    set -e
    _base_skeleton "$dir/rootfs"
    "_base_rootfs_$kind" "$dir/rootfs"
    mv "$dir/rootfs/Dockerfile" "$dir/Dockerfile"
    "$BUILD_BASE_DOCKER" build -q --network=none -t "$ref" -f "$dir/Dockerfile" "$dir/rootfs" >/dev/null
    "$BUILD_BASE_DOCKER" push -q "$ref" >/dev/null
  )
  local rc=$?
  rm -rf "$dir"
  [ "$rc" = 0 ] || die "could not build the $kind base image $ref"
}

ensure_build_base_images() {
  curl -fsS -o /dev/null "http://${REGISTRY_ADDR:-127.0.0.1:5000}/v2/" 2>/dev/null \
    || die "the local registry at ${REGISTRY_ADDR:-127.0.0.1:5000} is not running (ensure_registry starts it)"
  if [ ! -x /usr/bin/busybox ] || ldd /usr/bin/busybox >/dev/null 2>&1; then apt_install busybox-static; fi
  _ensure_base_image static 1
  _ensure_base_image node 20
  _ensure_base_image python 3
}
