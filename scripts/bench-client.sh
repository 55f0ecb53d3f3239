#!/usr/bin/env bash
# The Swift client's throughput against librdkafka on the same release broker, in one run:
# producer MB/s and consumer MB/s for 1 KiB records, Swift (sluice-client-check, KafkaClient)
# next to rdperf (../shared/bench/rdperf, librdkafka), and the ratios (target >= 0.8 each).
# Both producers use acks=1, linger 5 ms, 1 MB batches, no compression, one partition; both
# consumers read the same topic from the beginning by assignment.
# Usage: scripts/bench-client.sh [RECORDS=300000]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-300000}
rdperf_src=../shared/bench/rdperf/rdperf.c
[[ -f $rdperf_src ]] || { echo "bench-client: $rdperf_src not found; skipped"; exit 0; }

# rdperf needs gcc, pkg-config and librdkafka-dev; install them when we can, else say what is missing.
missing=()
command -v gcc >/dev/null || missing+=(gcc)
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists rdkafka 2>/dev/null || missing+=(librdkafka-dev)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bench-client: missing ${missing[*]}; install them with: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

source scripts/release-node.sh
build_release sluice sluice-client-check
start_release_node bench-client
gcc -O2 -std=gnu11 -o "$work/rdperf" "$rdperf_src" $(pkg-config --cflags --libs rdkafka) -lpthread -lm

b=127.0.0.1:$kafka
check=.build/release/sluice-client-check
mbps() { sed -n 's/.*"mb_per_s":\([0-9.]*\).*/\1/p; s/.*mb_per_s=\([0-9.]*\).*/\1/p' | tail -1; }
"$work/rdperf" create-topic -b "$b" -t bench-rd -P 1 >/dev/null
"$check" admin create-topic --bootstrap "$b" --topic bench-swift --partitions 1 >/dev/null

echo "bench-client: $records records of 1024 bytes, acks=1, linger 5 ms, 1 MB batches, 1 partition"
# rdperf exits 3 when its delivery count lags by a few reports at exit; its MB/s stands.
rd_produce=$({ "$work/rdperf" produce -b "$b" -t bench-rd -n "$records" -s 1024 -a 1 -l 5 -B 1000000 || true; } | mbps)
swift_produce=$("$check" produce --bootstrap "$b" --topic bench-swift --count "$records" --size 1024 --acks 1 \
  --idempotence false --linger-ms 5 --batch-size 1000000 --buffer-memory 67108864 | mbps)
rd_consume=$({ "$work/rdperf" consume -b "$b" -t bench-rd -P all -o beginning -n "$records" || true; } | mbps)
swift_consume=$("$check" consume --bootstrap "$b" --topic bench-rd --count "$records" --quiet yes \
  --partition-fetch-bytes 8388608 --max-poll 5000 | mbps)

ratio() { python3 -c "print(f'{$1 / $2:.2f}' if $2 > 0 else 'n/a')"; }
printf '\n| client | librdkafka (rdperf) MB/s | Swift KafkaClient MB/s | Swift / librdkafka |\n|---|---|---|---|\n'
printf '| producer | %.1f | %.1f | %s |\n' "$rd_produce" "$swift_produce" "$(ratio "$swift_produce" "$rd_produce")"
printf '| consumer | %.1f | %.1f | %s |\n' "$rd_consume" "$swift_consume" "$(ratio "$swift_consume" "$rd_consume")"
