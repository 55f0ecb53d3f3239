# Sourced by the benchmark scripts.
# `build_release PRODUCT...` builds release products, one `swift build` each (a second
# --product replaces the first).
# `start_release_node NAME [serve flags...]` starts the release `sluice serve` on a temporary
# data directory under .build (the repository's filesystem) and free loopback ports, waits for
# /health, and stops it by its PID and removes the directory when the script exits. After it:
# $work, $pid, $kafka, $registry, $admin.
build_release() {
  local product
  for product in "$@"; do swift build -c release --product "$product" >/dev/null; done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_release_node() {
  local name=$1; shift
  work=$(mktemp -d "$PWD/.build/$name.XXXXXX")
  kafka=$(free_port); registry=$(free_port); admin=$(free_port)
  .build/release/sluice serve --data-dir "$work/data" --listen "127.0.0.1:$kafka" \
    --registry-listen "127.0.0.1:$registry" --admin-listen "127.0.0.1:$admin" --log-level warning "$@" >"$work/node.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
  for _ in $(seq 1 300); do
    curl -fs "127.0.0.1:$admin/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$name: the node did not become healthy; its log:" >&2
  tail -20 "$work/node.log" >&2
  return 1
}
