#!/usr/bin/env bash
# Registry benchmark (release build, loopback, wrk): GET /schemas/ids/{id} against the same
# server's GET / (the registry's cost over the HTTP stack), registrations of new schemas per
# second with their p99 (each includes the fdatasync'd _schemas append), and the memory a node
# holds per 10,000 registered schemas.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build -c release --product sluice >/dev/null
source scripts/release-node.sh
start_release_node bench-registry
url="http://127.0.0.1:$registry"
curl -fs -X POST "$url/subjects/bench-first/versions" -d '{"schema":"{\"type\":\"record\",\"name\":\"First\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}"}' >/dev/null

rps() { awk '/Requests\/sec/ {print $2}'; }
echo "-- reads: wrk -t2 -c32 -d10s"
root=$(wrk -t2 -c32 -d10s "$url/" | rps)
byid=$(wrk -t2 -c32 -d10s "$url/schemas/ids/1" | rps)
printf '%-40s %12.0f req/s\n' "GET / (HTTP stack baseline)" "$root" "GET /schemas/ids/1" "$byid"
awk -v a="$byid" -v b="$root" 'BEGIN { printf "%-40s %12.2f   (target >= 0.70)\n", "ratio ids/root", a / b }'

rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
before=$(rss)
cat >"$work/register.lua" <<'LUA'
local counter = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("prefix", "t" .. threads) end
function request()
  counter = counter + 1
  local name = prefix .. "n" .. counter
  local body = '{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"R' .. name .. '\\",\\"fields\\":[{\\"name\\":\\"id\\",\\"type\\":\\"long\\"},{\\"name\\":\\"v\\",\\"type\\":\\"string\\",\\"default\\":\\"x\\"}]}"}'
  return wrk.format("POST", "/subjects/bench-" .. name .. "/versions", {["Content-Type"] = "application/json"}, body)
end
LUA
echo "-- registrations of new schemas: wrk -t2 -c8 -d10s (each answer waits for its fdatasync)"
wrk -t2 -c8 -d10s --latency -s "$work/register.lua" "$url" >"$work/register.txt"
grep -E "Requests/sec|99%|Non-2xx" "$work/register.txt" | sed 's/^/  /'
registered=$(curl -fs "$url/schemas/ids/1?fetchMaxId=true" | python3 -c 'import json,sys; print(json.load(sys.stdin)["maxId"])')
after=$(rss)
echo "-- memory"
awk -v n="$registered" -v b="$before" -v a="$after" 'BEGIN {
  printf "%-40s %12d\n", "schemas registered", n
  printf "%-40s %12.1f MiB (RSS %d -> %d KiB)\n", "memory per 10,000 schemas", (a - b) / 1024 * 10000 / n, b, a }'
