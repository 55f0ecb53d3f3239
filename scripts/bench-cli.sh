#!/usr/bin/env bash
# `sluice produce` of a file of lines against `kcat -P` of the same file, on the same release
# node, in one run: both send every line as a record value to a fresh topic with acks=all and
# no compression (kcat -l: one message per line, librdkafka's defaults otherwise). Prints each tool's MB/s and the
# ratio sluice / kcat, and checks that each topic ends with one record per line.
# Usage: scripts/bench-cli.sh [size in MiB, default 1024] [line length, default 100]
# Run it under the CPU lock: flock /tmp/sluice-cpu.lock scripts/bench-cli.sh
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
line_length=${2:-100}
command -v kcat >/dev/null || { echo "bench-cli: kcat not installed; skipped"; exit 0; }

swift build -c release --product sluice >/dev/null
source scripts/release-node.sh
start_release_node bench-cli

input="$work/lines.txt"
python3 - "$input" "$size_mib" "$line_length" <<'PY'
import sys
path, size, width = sys.argv[1], int(sys.argv[2]) << 20, int(sys.argv[3])
with open(path, "wb") as f:
    written, n = 0, 0
    while written < size:
        block = b"".join(b"%010d " % i + b"x" * (width - 12) + b"\n" for i in range(n, n + 10000))
        f.write(block)
        written += len(block)
        n += 10000
PY
lines=$(wc -l <"$input")
bytes=$(stat -c %s "$input")
sluice=.build/release/sluice
bootstrap="127.0.0.1:$kafka"
$sluice topic create bench-kcat bench-sluice --bootstrap "$bootstrap" --partitions 1 >/dev/null

now() { date +%s.%N; }
t0=$(now)
kcat -P -l -b "$bootstrap" -t bench-kcat -X acks=all -X queue.buffering.max.kbytes=1048576 "$input"
t1=$(now)
$sluice produce bench-sluice --bootstrap "$bootstrap" --file "$input" --acks all --progress never
t2=$(now)

end_offset() { kcat -Q -b "$bootstrap" -t "$1:0:-1" | awk '{print $NF}'; }
for topic in bench-kcat bench-sluice; do
  got=$(end_offset $topic)
  [[ $got == "$lines" ]] || { echo "bench-cli: $topic has $got records, expected $lines" >&2; exit 1; }
done

python3 - "$bytes" "$lines" "$t0" "$t1" "$t2" <<'PY'
import sys
size, lines = int(sys.argv[1]), int(sys.argv[2])
t0, t1, t2 = map(float, sys.argv[3:])
kcat, sluice = t1 - t0, t2 - t1
mb = size / 1e6
print(f"file: {size / (1 << 20):.0f} MiB, {lines} lines")
print(f"| tool | seconds | MB/s | records/s |")
print(f"|---|---|---|---|")
print(f"| kcat -P | {kcat:.2f} | {mb / kcat:.1f} | {lines / kcat:,.0f} |")
print(f"| sluice produce | {sluice:.2f} | {mb / sluice:.1f} | {lines / sluice:,.0f} |")
print(f"ratio sluice / kcat (throughput): {kcat / sluice:.2f}")
PY
