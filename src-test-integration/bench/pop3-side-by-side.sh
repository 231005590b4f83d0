#!/bin/bash
# POP3 on a 1,000-message Maildir (15.7 MB, ../shared/bench/gen_maildir.py --seed 3): Mailroom
# and Dovecot side by side with ../shared/bench/pop3_bench.py (USER/PASS, STAT, LIST, UIDL,
# RETR of every message, QUIT). Run 1 is cold (index wiped), the others warm.
# Needs root (setup.sh) and a built tree (mvn -DskipTests package).
#
# usage: pop3-side-by-side.sh [runs=4]
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="${BENCH:-$REPO/../shared/bench}"
export BENCH_DATA="${BENCH_DATA:-/var/tmp/mailbench}"
R="${1:-4}"
MR="${MR:-/var/tmp/mailroom-bench-pop3}"

"$BENCH/setup.sh" all >/dev/null
python3 "$BENCH/gen_maildir.py" --dest "$BENCH_DATA/mail/pop1k/Maildir" --count 1000 --seed 3 --owner mailbench --clean >/dev/null

rm -rf "$MR"; mkdir -p "$MR/conf"
cat > "$MR/conf/mailroom.properties" <<CONF
hostname = mx.bench.local
domains = bench.local
data.dir = $MR/data
smtp.listen =
pop3.listen = 127.0.0.1:12110
pop3s.listen =
CONF
printf 'benchpass\n' | "$REPO/bin/mailroom" user add pop1k@bench.local --config "$MR/conf" >/dev/null
python3 "$BENCH/gen_maildir.py" --dest "$MR/data/mail/bench.local/pop1k" --count 1000 --seed 3 --clean >/dev/null
"$REPO/bin/mailroom" run --config "$MR/conf" > "$MR/daemon.log" 2>&1 &
MR_PID=$!
trap 'kill $MR_PID 2>/dev/null || true; "$BENCH/setup.sh" stop >/dev/null 2>&1 || true' EXIT
for _ in $(seq 100); do
    (exec 3<>/dev/tcp/127.0.0.1/12110) 2>/dev/null && break
    sleep 0.2
done

echo "== dovecot"
python3 "$BENCH/pop3_bench.py" --port 1110 --user pop1k --password benchpass --runs "$R" \
    --reset-cmd "rm -f $BENCH_DATA/mail/pop1k/Maildir/dovecot*"
echo "== mailroom"
python3 "$BENCH/pop3_bench.py" --port 12110 --user pop1k --password benchpass --runs "$R" \
    --reset-cmd "rm -f $MR/data/mail/bench.local/pop1k/mailroom-index* $MR/data/mail/bench.local/pop1k/mailroom-cache"
