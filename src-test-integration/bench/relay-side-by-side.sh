#!/bin/bash
# Relay: SMTP in -> queue -> SMTP out to smtp-sink (the remote MX): Mailroom and Postfix side by side,
# with ../shared/bench/smtp_bench.py --mode relay driving both the same way, runs alternated.
# Prints one SUMMARY line per run and the medians with the ratio. Needs root (setup.sh installs
# and starts the private Postfix instance) and a built tree (mvn -DskipTests package).
#
# usage: relay-side-by-side.sh [sessions=20] [messages=5000] [size=4096] [runs=5]
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="${BENCH:-$REPO/../shared/bench}"
export BENCH_DATA="${BENCH_DATA:-/var/tmp/mailbench}"
S="${1:-20}"; M="${2:-5000}"; L="${3:-4096}"; R="${4:-5}"
MR="${MR:-/var/tmp/mailroom-bench-relay}"
OUT="$MR/relay.jsonl"

"$BENCH/setup.sh" all >/dev/null
PF_PID=$(tr -d ' ' < "$BENCH_DATA/postfix/spool/pid/master.pid")

rm -rf "$MR"; mkdir -p "$MR/conf"
cat > "$MR/conf/mailroom.properties" <<CONF
hostname = mx.bench.local
domains = bench.local
data.dir = $MR/data
smtp.listen = 127.0.0.1:12525
pop3.listen = 127.0.0.1:12110
pop3s.listen =
submission.listen =
submissions.listen =
relay.smarthost = [127.0.0.1]:2526
relay.smarthostTls = none
net.maxConnectionsPerClient = 100000
CONF
"$REPO/bin/mailroom" run --config "$MR/conf" > "$MR/daemon.log" 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null || true; "$BENCH/setup.sh" stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/12525) 2>/dev/null && break
    sleep 0.2
done
# warm-up, not counted: the JIT keeps compiling the per-message path (queue writer, delivery sink, SMTP
# client) until ~30,000 messages have been relayed; after 15,000 it still took 0.77 s of CPU during a
# 5,000-message run (20 % of the daemon's), after 35,000 0.17 s. WARMUP: the number of 5,000-message runs
python3 "$BENCH/smtp_bench.py" --mode relay --sink-port 2526 --port 12525 --to rcpt@remote.test \
    -s "$S" -m 5000 -l "$L" --runs "${WARMUP:-7}" --pause 1 --label warmup >/dev/null

rm -f "$OUT"
for i in $(seq "$R"); do
    python3 "$BENCH/smtp_bench.py" --mode relay --sink-port 2526 --port 2525 --to rcpt@remote.test \
        --server-pid "$PF_PID" -s "$S" -m "$M" -l "$L" --runs 1 --pause 5 --label postfix --json "$OUT" | grep SUMMARY
    python3 "$BENCH/smtp_bench.py" --mode relay --sink-port 2526 --port 12525 --to rcpt@remote.test \
        --server-pid "$MR_PID" -s "$S" -m "$M" -l "$L" --runs 1 --pause 5 --label mailroom --json "$OUT" | grep SUMMARY
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(label, key):
    v = []
    for r in rows:
        if r.get("label") != label: continue
        v.extend(run[key] for run in r["runs"] if run.get(key) is not None)
    return statistics.median(v) if v else float("nan")
for key in ("accepted_per_s", "delivered_per_s", "server_cpu_ms_per_msg"):
    p, m = med("postfix", key), med("mailroom", key)
    print(f"{key:24s} postfix {p:9.1f}  mailroom {m:9.1f}  ratio {m / p:5.2f}")
PY
