#!/bin/bash
# IMAP on a 100,000-message Maildir (1.54 GB, ../shared/bench/gen_maildir.py --count 100000 --seed 2):
# Mailroom and Dovecot side by side on this machine, driven by the same programs.
#
#   imap  first, as the shared run_all.sh does (imap10k before imap100k, same servers), imap_bench once on
#         a 10,000-message folder (seed 1), not recorded (WARM=none skips it); then
#         ../shared/bench/imap_bench.py on the 100k folder: LOGIN, SELECT cold (3x: index files
#         deleted; for Mailroom also 1.5 s for the folder to be unloaded from memory, with
#         mailbox.unloadAfter = 1s; COLD=restart restarts the daemon instead, JIT and all),
#         SELECT warm, FETCH 1:* (FLAGS), FETCH 1:* (UID RFC822.SIZE ENVELOPE) first and cached,
#         UID SEARCH SUBJECT, UID SEARCH TEXT, 1,000 random FETCH n BODY.PEEK[], STORE 1:* +/-FLAGS,
#         EXPUNGE of 1,000 messages. Both servers get hard links (cp -al) of the same files, fresh
#         for every run; the server that goes first alternates between runs (same page cache).
#   idle  ../shared/bench/idle_bench.py: N connections LOGIN + SELECT INBOX + IDLE on one account,
#         memory per connection (RSS/PSS delta of the server's process tree: Dovecot's master and
#         its ~N imap processes, Mailroom's one JVM), then the wake-up latency of every connection
#         after one SMTP delivery (Postfix :2525 -> virtual(8) resp. Mailroom's SMTP listener) and
#         after one file renamed into new/ by another program. For Mailroom the daemon is restarted
#         and warmed with 200 idle connections and two SMTP deliveries first; before the baseline and while the N
#         connections idle it gets two full GCs (jcmd GC.class_histogram, which also gives the live
#         heap) and 15 s for G1 to uncommit, so that the RSS delta is not the heap sizing left by
#         the logins' Argon2 hashes. One run takes ~5 min for imap and ~5 min for idle.
#
# Needs root (setup.sh installs/starts the private Postfix and Dovecot), a built tree
# (mvn -B -q -o package -DskipTests -Djdeb.skip=true), ~1.6 GB in $SRC for the generated folder
# (kept, reused when its stamp matches) and jcmd (JDK). Bounded: every wait has a timeout;
# the daemon, Dovecot and Postfix are stopped and the per-run hard-link copies deleted on exit.
# Results: $MR/results/*.json, and a table of medians on stdout.
#
# usage: imap-side-by-side.sh [runs=1] [idle-connections=1000]
# env:   STEPS="imap idle" (either or both), IMAP_RUNS=3 (imap_bench --runs), SRC, MR, BENCH, BENCH_DATA,
#        WARM=none (no 10k warm-up), STEADY=1 (Mailroom's recorded pass is its second on the 100k folder)
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
BENCH="${BENCH:-$REPO/../shared/bench}"
[ -f "$BENCH/imap_bench.py" ] || BENCH=/work/shared/bench
export BENCH_DATA="${BENCH_DATA:-/var/tmp/mailbench}"
R="${1:-1}"; N="${2:-1000}"
STEPS="${STEPS:-imap idle}"
IMAP_RUNS="${IMAP_RUNS:-3}"
MR="${MR:-/var/tmp/mailroom-bench-imap}"
SRC="${SRC:-/var/tmp/mailbench-src/box100k-seed2}"
STAMP="count=100000 seed=2"
OUT="$MR/results"
DOVE_BOX="$BENCH_DATA/mail/box100k/Maildir"
MR_BOX="$MR/data/mail/bench.local/box100k"
PORT=12143; SMTP=12525
log() { echo "== $(date -u +%T) load=$(cut -d' ' -f1-3 /proc/loadavg) $*"; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 1,000 client sockets + the daemon's

"$BENCH/setup.sh" all >/dev/null
DOVE_PID=$(cat "$BENCH_DATA/dovecot/run/master.pid")

# ---- the folder: generated once, then hard-linked for each server and run
if [ "$(cat "$SRC.stamp" 2>/dev/null)" != "$STAMP" ]; then
    log "generating $SRC (about 5 minutes)"
    mkdir -p "$(dirname "$SRC")"
    python3 "$BENCH/gen_maildir.py" --dest "$SRC" --count 100000 --seed 2 --clean
    echo "$STAMP" > "$SRC.stamp"
fi
# The warm-up folder: the shared run_all.sh runs imap10k before imap100k against the same servers
# (WARM=none skips it, and with it the JIT warm-up a Mailroom that has served anything has had)
SRC10="${SRC10:-/var/tmp/mailbench-src/box10k-seed1}"; STAMP10="count=10000 seed=1"
if [ "${WARM:-10k}" = 10k ] && [ "$(cat "$SRC10.stamp" 2>/dev/null)" != "$STAMP10" ]; then
    log "generating $SRC10"
    python3 "$BENCH/gen_maildir.py" --dest "$SRC10" --count 10000 --seed 1 --clean
    echo "$STAMP10" > "$SRC10.stamp"
fi
[ "${WARM:-10k}" != 10k ] || [ -z "$(find "$SRC10" ! -user mailbench -print -quit)" ] || chown -R mailbench:mailbench "$SRC10"
# Dovecot reads as mailbench; hard links share the owner (Mailroom runs as root here)
[ -z "$(find "$SRC" ! -user mailbench -print -quit)" ] || chown -R mailbench:mailbench "$SRC"

# ---- Mailroom: configuration, accounts, and a control script (the cold reset)
rm -rf "$MR"; mkdir -p "$MR/conf" "$OUT"
cat > "$MR/conf/mailroom.properties" <<CONF
hostname = mx.bench.local
domains = bench.local
data.dir = $MR/data
shutdown.grace = 1s
smtp.listen = 127.0.0.1:$SMTP
submission.listen =
submissions.listen =
pop3.listen =
pop3s.listen =
http.listen =
imap.listen = 127.0.0.1:$PORT
imaps.listen =
net.maxConnections = 20000
net.maxConnectionsPerClient = 100000
imap.maxConnectionsPerUser = 100000
mailbox.unloadAfter = 1s
CONF
for u in box100k box10k idle; do
    printf 'benchpass\n' | "$REPO/bin/mailroom" user add "$u@bench.local" --config "$MR/conf" >/dev/null
done
cat > "$MR/ctl.sh" <<CTL
#!/bin/bash
# start | stop | cold (delete the 100k folder's index files; wait until it is unloaded, or with COLD=restart,
# stop and start the daemon)
set -euo pipefail
stop() {
    [ -s "$MR/daemon.pid" ] || return 0
    local p=\$(cat "$MR/daemon.pid")
    kill "\$p" 2>/dev/null || true
    for _ in \$(seq 150); do kill -0 "\$p" 2>/dev/null || break; sleep 0.2; done
    kill -9 "\$p" 2>/dev/null || true
    rm -f "$MR/daemon.pid"
}
start() {
    "$REPO/bin/mailroom" run --config "$MR/conf" >> "$MR/daemon.log" 2>&1 < /dev/null &
    echo \$! > "$MR/daemon.pid"
    for _ in \$(seq 300); do
        (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0
        sleep 0.2
    done
    echo "mailroom did not start; see $MR/daemon.log" >&2; exit 1
}
case "\$1" in
    start) start;;
    stop) stop;;
    cold) if [ "${COLD:-unload}" = restart ]; then stop; fi
          rm -f "$MR_BOX/mailroom-index" "$MR_BOX/mailroom-index.log" "$MR_BOX/mailroom-cache"
          if [ "${COLD:-unload}" = restart ]; then start; else sleep 1.5; fi;;
esac
CTL
chmod +x "$MR/ctl.sh"
cleanup() {
    "$MR/ctl.sh" stop || true
    "$BENCH/setup.sh" stop >/dev/null 2>&1 || true
    rm -rf "$MR_BOX" "$DOVE_BOX"
    mkdir -p "$DOVE_BOX"/{cur,new,tmp}; chown -R mailbench:mailbench "$DOVE_BOX"
}
trap cleanup EXIT

fresh_copies() {
    rm -rf "$DOVE_BOX" "$MR_BOX"
    mkdir -p "$(dirname "$MR_BOX")"
    cp -al "$SRC" "$DOVE_BOX"
    cp -al "$SRC" "$MR_BOX"
}
warm_up() { # imap_bench once on the 10k folder on both servers, not recorded (run_all.sh's imap10k step)
    [ "${WARM:-10k}" = 10k ] || return 0
    local dbox="$BENCH_DATA/mail/box10k/Maildir" mbox="$MR/data/mail/bench.local/box10k"
    rm -rf "$dbox" "$mbox"; mkdir -p "$(dirname "$dbox")" "$(dirname "$mbox")"
    cp -al "$SRC10" "$dbox"; cp -al "$SRC10" "$mbox"
    log "warm-up: imap_bench on 10k, both servers"
    python3 "$BENCH/imap_bench.py" --port 1143 --user box10k --password benchpass --runs "$IMAP_RUNS" --cold-runs 3 \
        --reset-cmd "rm -f $dbox/dovecot*" > "$OUT/warm-dovecot.log" 2>&1
    python3 "$BENCH/imap_bench.py" --port "$PORT" --user box10k@bench.local --password benchpass --runs "$IMAP_RUNS" --cold-runs 3 \
        --reset-cmd "rm -f $mbox/mailroom-index $mbox/mailroom-index.log $mbox/mailroom-cache; sleep 1.5" > "$OUT/warm-mailroom.log" 2>&1
    rm -rf "$dbox" "$mbox"
}
imap_dovecot() {
    log "dovecot imap run $1"
    python3 "$BENCH/imap_bench.py" --port 1143 --user box100k --password benchpass --runs "$IMAP_RUNS" --cold-runs 3 \
        --reset-cmd "rm -f $DOVE_BOX/dovecot*" --json "$OUT/dovecot-imap-$1.json"
    log "dovecot imap run $1 end"
}
imap_mailroom() {
    if [ "${STEADY:-}" = 1 ]; then # a first pass on the 100k folder, not recorded, then a fresh copy of it
        log "mailroom imap run $1: steady state, first pass"
        python3 "$BENCH/imap_bench.py" --port "$PORT" --user box100k@bench.local --password benchpass --runs "$IMAP_RUNS" \
            --cold-runs 3 --reset-cmd "$MR/ctl.sh cold" > "$OUT/mailroom-steady-pass1-$1.log" 2>&1
        rm -rf "$MR_BOX"; cp -al "$SRC" "$MR_BOX"; sleep 2 # unloaded (mailbox.unloadAfter = 1s)
    fi
    log "mailroom imap run $1"
    python3 "$BENCH/imap_bench.py" --port "$PORT" --user box100k@bench.local --password benchpass --runs "$IMAP_RUNS" \
        --cold-runs 3 --reset-cmd "$MR/ctl.sh cold" --json "$OUT/mailroom-imap-$1.json"
    log "mailroom imap run $1 end"
}
rollup() { # pid -> "rss_kib pss_kib"
    awk '/^Rss:/{r=$2} /^Pss:/{p=$2} END{print r, p}' "/proc/$1/smaps_rollup"
}
live_heap() { # pid -> bytes of live objects (GC.class_histogram runs a full GC first)
    jcmd "$1" GC.class_histogram | awk '/^Total/{print $3}'
}
idle_dovecot() {
    sleep 30 # let the load of what ran before settle
    log "dovecot idle $N run $1"
    python3 "$BENCH/idle_bench.py" --port 1143 --user idle --password benchpass --conns "$N" --parallel 50 \
        --server-pid "$DOVE_PID" --deliver smtp,maildir --smtp-port 2525 --rcpt idle@bench.local \
        --maildir "$BENCH_DATA/mail/idle/Maildir" --chown mailbench --timeout 120 \
        --json "$OUT/dovecot-idle-$1.json" | grep -v '^{'
    log "dovecot idle $N run $1 end"
}
idle_mailroom() {
    sleep 30 # let the load of what ran before (Dovecot's 1,000 processes) settle
    log "mailroom idle $N run $1"
    "$MR/ctl.sh" stop; "$MR/ctl.sh" start
    local pid; pid=$(cat "$MR/daemon.pid")
    # warm-up (not counted): JIT, Netty's pools and the folder state are made once per process
    # (with two deliveries: the SMTP, queue and delivery path is compiled once, as in a daemon that has
    # delivered mail before; Dovecot, in C, needs no such warm-up)
    python3 "$BENCH/idle_bench.py" --port "$PORT" --user idle@bench.local --password benchpass --conns 200 \
        --parallel 50 --settle 1 --deliver smtp,smtp --smtp-port "$SMTP" --rcpt idle@bench.local --timeout 120 >/dev/null
    sleep 2
    # Two full GCs, then 15 s for G1 to uncommit what it shrank (it does so in the background), so
    # that idle_bench's baseline and its figure after --settle (which follows the GCs below) are
    # taken in the same state. Without this the RSS delta is the heap sizing left by the 19 MiB
    # Argon2 hashes of the logins, and comes out anywhere between -2 and +2 MiB per connection.
    local h0 m0; live_heap "$pid" >/dev/null; h0=$(live_heap "$pid"); sleep 15; m0=$(rollup "$pid")
    python3 "$BENCH/idle_bench.py" --port "$PORT" --user idle@bench.local --password benchpass --conns "$N" \
        --parallel 50 --server-pid "$pid" --settle 40 --deliver smtp,maildir --smtp-port "$SMTP" \
        --rcpt idle@bench.local --maildir "$MR/data/mail/bench.local/idle" --timeout 60 \
        --json "$OUT/mailroom-idle-$1.json" > "$OUT/mailroom-idle-$1.log" 2>&1 &
    local bp=$!
    for _ in $(seq 600); do grep -q '^established' "$OUT/mailroom-idle-$1.log" && break; sleep 0.5; done
    sleep 3
    # read before the idle_bench figure (taken after --settle), and before the full GC below
    local m1 h1 m2; m1=$(rollup "$pid"); live_heap "$pid" >/dev/null; h1=$(live_heap "$pid"); sleep 15; m2=$(rollup "$pid")
    local heapinfo; heapinfo=$(jcmd "$pid" GC.heap_info | tr -s ' ' | tr '\n' ' ')
    wait "$bp" || true
    grep -v '^{' "$OUT/mailroom-idle-$1.log"
    python3 - "$OUT/mailroom-idle-$1.json" "$N" "$h0" "$h1" "$m0" "$m1" "$heapinfo" "$m2" <<'PY'
import json, sys
f, n, h0, h1 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
r0, p0 = map(int, sys.argv[5].split()); r1, p1 = map(int, sys.argv[6].split()); r2, p2 = map(int, sys.argv[8].split())
d = json.load(open(f))
ok = max(1, d.get("conns_ok", n))
d["jvm"] = {"live_heap_before": h0, "live_heap_idle": h1, "live_heap_per_conn_kib": round((h1 - h0) / 1024 / ok, 1),
            "rss_per_conn_kib_before_gc": round((r1 - r0) / ok, 1), "pss_per_conn_kib_before_gc": round((p1 - p0) / ok, 1),
            "rss_per_conn_kib_after_gc": round((r2 - r0) / ok, 1), "pss_per_conn_kib_after_gc": round((p2 - p0) / ok, 1),
            "rss_kib": [r0, r1, r2],
            "heap_info": sys.argv[7]}
json.dump(d, open(f, "w"), indent=1)
print("jvm", json.dumps({k: v for k, v in d["jvm"].items() if k != "heap_info"}))
PY
    log "mailroom idle $N run $1 end"
}

for i in $(seq "$R"); do
    if [[ " $STEPS " == *" imap "* ]]; then
        fresh_copies
        "$MR/ctl.sh" start
        warm_up
        if (( i % 2 )); then imap_dovecot "$i"; imap_mailroom "$i"; else imap_mailroom "$i"; imap_dovecot "$i"; fi
        "$MR/ctl.sh" stop
        rm -rf "$DOVE_BOX" "$MR_BOX"
    fi
    if [[ " $STEPS " == *" idle "* ]]; then
        if (( i % 2 )); then idle_dovecot "$i"; idle_mailroom "$i"; else idle_mailroom "$i"; idle_dovecot "$i"; fi
        "$MR/ctl.sh" stop
    fi
done
log done

python3 - "$OUT" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
def load(kind, server):
    return [json.load(open(f)) for f in sorted(glob.glob(os.path.join(out, "%s-%s-*.json" % (server, kind))))]
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def fmt(x):
    return "-" if x is None else ("%.4f" % x if x < 10 else "%.1f" % x)
imap = {s: load("imap", s) for s in ("dovecot", "mailroom")}
if imap["dovecot"] or imap["mailroom"]:
    print("\nIMAP, 100k messages, seconds (median over runs of each run's median; first = once per run)")
    print("%-22s %10s %10s %8s" % ("step", "dovecot", "mailroom", "speedup"))
    steps = ["login", "select_cold", "select_warm", "fetch_flags", "fetch_envelope_first", "fetch_envelope",
             "search_subject_first", "search_subject", "search_text", "fetch_body_1000", "store_all",
             "store_all_minus", "expunge_1000_mark", "expunge_1000"]
    for st in steps:
        v = {}
        for s, runs in imap.items():
            v[s] = med([r["steps"].get(st, {}).get("median", r["steps"].get(st, {}).get("s")) for r in runs])
        sp = v["dovecot"] / v["mailroom"] if v["dovecot"] and v["mailroom"] else None
        print("%-22s %10s %10s %8s" % (st, fmt(v["dovecot"]), fmt(v["mailroom"]), "-" if sp is None else "%.2fx" % sp))
idle = {s: load("idle", s) for s in ("dovecot", "mailroom")}
if idle["dovecot"] or idle["mailroom"]:
    print("\nIDLE, per run: conns ok, setup s, per-connection KiB (rss/pss), then per delivery notified first/median/p99/last s")
    for s, runs in idle.items():
        for r in runs:
            line = "%-9s %d/%d setup %.1fs  per conn %s" % (s, r.get("conns_ok", 0), r["conns_requested"],
                                                         r.get("setup_s", 0), r.get("per_conn_kib"))
            if "jvm" in r:
                j = r["jvm"]
                line += "  live heap/conn %.1f KiB, rss/pss before GC %.1f/%.1f, after GC %s/%s" % (
                    j["live_heap_per_conn_kib"], j["rss_per_conn_kib_before_gc"], j["pss_per_conn_kib_before_gc"],
                    j.get("rss_per_conn_kib_after_gc"), j.get("pss_per_conn_kib_after_gc"))
            print(line)
            for d in r.get("deliveries", []):
                print("          %-8s %d/%d  %s / %s / %s / %s" % (d["kind"], d["notified"], d["of"], d.get("first_s"),
                                                              d.get("median_s"), d.get("p99_s"), d.get("last_s")))
PY
