#!/usr/bin/env bash
# Smoke test of the Debian package (issue 7): installs daemon/target/mailroom.deb with dpkg -i,
# starts the installed daemon as the mailroom user on the standard ports (without systemd: the
# launcher switches to the user and keeps CAP_NET_BIND_SERVICE, as the unit's
# AmbientCapabilities does), adds an account, sends a message to port 25 with swaks, reads it
# back over POP3 on port 110 with curl, checks owners and modes, stops the daemon, lets
# systemd-analyze verify the installed unit, and purges the package.
#
# Runs as root (or with sudo) after "mvn -B verify". Leaves the machine as it found it. Exits 77
# (skipped) only when something outside this test holds a port it needs or a mailroom package is
# already installed; any other problem is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=daemon/target/mailroom.deb
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
ports=(25 587 465 110 995)
tmp=$(mktemp -d)
log=$tmp/daemon.log
pid=""
installed=""
user_existed=""
data_existed=""
need=() # dependencies this test installed, removed again at the end
sendmail_state() { ls -ld /usr/sbin/sendmail /usr/lib/sendmail 2>&1 | tr '\n' ' '; }
sendmail_before=$(sendmail_state)
had_sendmail=no
{ [ -e /usr/sbin/sendmail ] || [ -e /usr/lib/sendmail ]; } && had_sendmail=yes

say() { echo "deb-smoke: $*"; }
fail() {
    say "FAIL: $*"
    [ -s "$log" ] && { say "daemon log:"; sed 's/^/    /' "$log"; }
    exit 1
}

cleanup() {
    local rc=$?
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        $sudo kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    if [ -n "$installed" ]; then
        $sudo dpkg --purge mailroom >/dev/null 2>&1 || true
        # postrm keeps mailboxes and the system user (Debian practice); this test made both
        [ -n "$data_existed" ] || $sudo rm -rf /var/lib/mailroom
        if [ -z "$user_existed" ] && getent passwd mailroom >/dev/null; then
            $sudo deluser --system mailroom >/dev/null 2>&1 || true
            getent group mailroom >/dev/null && $sudo delgroup --system mailroom >/dev/null 2>&1 || true
        fi
    fi
    if [ ${#need[@]} -gt 0 ]; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "${need[@]}" >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT

[ -f "$deb" ] || fail "$deb not found: run mvn -B package (or verify) first"
for cmd in dpkg swaks curl systemd-analyze setpriv ss ps; do
    command -v "$cmd" >/dev/null || fail "$cmd is not installed"
done

# ---- preconditions that are not ours to change -----------------------------------------------
status=$(dpkg-query -W -f='${db:Status-Status}' mailroom 2>/dev/null || true)
if [ -n "$status" ] && [ "$status" != not-installed ]; then
    say "SKIP: a mailroom package is already on this machine ($status); not touching it"
    exit 77
fi
for p in "${ports[@]}"; do
    if ss -Hltn "sport = :$p" | grep . >/dev/null; then
        say "SKIP: port $p is already in use by something else:"
        $sudo ss -Hltnp "sport = :$p" | sed 's/^/    /'
        exit 77
    fi
done
getent passwd mailroom >/dev/null && user_existed=yes
[ -e /var/lib/mailroom ] && data_existed=yes

# ---- install -----------------------------------------------------------------------------------
dpkg-query -W -f='${Status}\n' adduser 2>/dev/null | grep "ok installed" >/dev/null || need+=(adduser)
# (grep without -q: with pipefail, -q ending the pipe early would read as "not installed")
if ! dpkg-query -W -f='${Status} ${Provides}\n' 2>/dev/null | grep "ok installed" \
        | grep "java17-runtime-headless" >/dev/null \
   && ! dpkg-query -W -f='${Status}\n' default-jre-headless 2>/dev/null | grep "ok installed" >/dev/null; then
    need+=(default-jre-headless)
fi
if [ ${#need[@]} -gt 0 ]; then
    say "installing the package's dependencies: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
installed=yes
$sudo dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -i $deb"; }
say "installed $(dpkg-query -W -f='${Package} ${Version}' mailroom)"

getent passwd mailroom >/dev/null || fail "postinst made no mailroom user"
[ "$(stat -c '%U:%G %a' /var/lib/mailroom)" = "mailroom:mailroom 751" ] \
    || fail "/var/lib/mailroom is $(stat -c '%U:%G %a' /var/lib/mailroom), expected mailroom:mailroom 751"
[ "$(stat -c '%U:%G %a' /etc/mailroom/users.properties)" = "mailroom:mailroom 600" ] \
    || fail "users.properties is $(stat -c '%U:%G %a' /etc/mailroom/users.properties), expected mailroom:mailroom 600"
for f in mailroom.properties aliases senders; do
    grep -qx "/etc/mailroom/$f" /var/lib/dpkg/info/mailroom.conffiles || fail "$f is not a conffile"
done

# ---- run the installed daemon as the mailroom user ----------------------------------------------
# As root, /usr/bin/mailroom switches to mailroom with setpriv and keeps CAP_NET_BIND_SERVICE.
$sudo /usr/bin/mailroom run >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
    grep -q "mailroom started" "$log" && break
    kill -0 "$pid" 2>/dev/null || fail "the daemon exited at start"
    sleep 0.1
done
grep -q "mailroom started" "$log" || fail "the daemon did not start within 30s"
# the launcher execs all the way down (sh, setpriv, sh, java): $pid is the JVM
daemon_user=$(ps -o user= -p "$pid" | tr -d ' ')
[ "$daemon_user" = mailroom ] || fail "the daemon runs as '$daemon_user', expected mailroom"
grep -q '^CapAmb:.*0000000000000400$' "/proc/$pid/status" || fail "the daemon has other ambient capabilities than CAP_NET_BIND_SERVICE: $(grep CapAmb /proc/$pid/status)"
say "daemon runs as mailroom (pid $pid); listening: $(ss -Hltn | awk '{print $4}' | grep -Eo ':(25|587|465|110|995)$' | tr '\n' ' ')"

printf 'smoke-pw-1\n' | $sudo /usr/bin/mailroom user add smoke@localhost >/dev/null || fail "mailroom user add"
[ "$(stat -c '%U %a' /etc/mailroom/users.properties)" = "mailroom 600" ] \
    || fail "users.properties became $(stat -c '%U %a' /etc/mailroom/users.properties) after user add"

token="smoke-$(date +%s)-$$"
swaks --silent 2 --server 127.0.0.1:25 --from tester@example.org --to smoke@localhost \
    --header "Subject: $token" --body "body of $token" >"$tmp/swaks.log" 2>&1 \
    || { cat "$tmp/swaks.log"; fail "swaks to port 25"; }
say "sent $token to port 25"

# local submission through the installed sendmail, as an unprivileged user other than mailroom;
# /usr/sbin/sendmail when no other MTA had it (postinst registers the alternative only then)
sendmail=/usr/share/mailroom/bin/sendmail
if [ "$had_sendmail" = no ]; then
    [ "$(readlink -f /usr/sbin/sendmail)" = "$sendmail" ] || fail "/usr/sbin/sendmail is not the alternative for $sendmail"
    [ "$(readlink -f /usr/lib/sendmail)" = "$sendmail" ] || fail "/usr/lib/sendmail is not the alternative for $sendmail"
    sendmail=/usr/sbin/sendmail
    say "/usr/sbin/sendmail and /usr/lib/sendmail lead to Mailroom's sendmail"
else
    say "another MTA owns /usr/sbin/sendmail here: postinst left it alone; using $sendmail"
fi
printf 'Subject: %s-sendmail\n\nvia sendmail\n' "$token" \
    | $sudo setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
        env HOME=/ "$sendmail" -i smoke@localhost 2>"$tmp/sendmail.log" \
    || { cat "$tmp/sendmail.log"; fail "sendmail as nobody"; }
say "sent $token-sendmail with sendmail as nobody"

got=""
for _ in $(seq 1 50); do
    got=$(curl -s --max-time 10 --user 'smoke@localhost:smoke-pw-1' pop3://127.0.0.1:110/ || true)
    [ "$(printf '%s\n' "$got" | grep -c .)" -ge 2 ] && break
    sleep 0.1
done
[ "$(printf '%s\n' "$got" | grep -c .)" -ge 2 ] || fail "POP3 LIST shows $(printf '%s\n' "$got" | grep -c .) messages, expected 2"
curl -s --max-time 10 --user 'smoke@localhost:smoke-pw-1' pop3://127.0.0.1:110/1 >"$tmp/msg1"
curl -s --max-time 10 --user 'smoke@localhost:smoke-pw-1' pop3://127.0.0.1:110/2 >"$tmp/msg2"
grep -q "^Subject: $token" "$tmp/msg1" "$tmp/msg2" || fail "the swaks message is not in the POP3 mailbox"
grep -q "^Subject: $token-sendmail" "$tmp/msg1" "$tmp/msg2" || fail "the sendmail message is not in the POP3 mailbox"
say "read both messages back over POP3 on port 110"

# reload: SIGHUP (what "systemctl reload" sends) and "mailroom reload" over the control socket
n0=$(grep -c "reload: done" "$log" || true)
$sudo kill -HUP "$pid"
for _ in $(seq 1 100); do
    [ "$(grep -c "reload: done" "$log" || true)" -gt "$n0" ] && break
    sleep 0.1
done
[ "$(grep -c "reload: done" "$log" || true)" -gt "$n0" ] || fail "no 'reload: done' after SIGHUP"
kill -0 "$pid" || fail "the daemon died on SIGHUP"
$sudo /usr/bin/mailroom reload >"$tmp/reload.out" 2>&1 || { cat "$tmp/reload.out"; fail "mailroom reload"; }
grep -q "mailroom: reloaded" "$tmp/reload.out" || { cat "$tmp/reload.out"; fail "mailroom reload printed no 'reloaded'"; }
say "reloaded on SIGHUP and with mailroom reload"

bad=$($sudo find /var/lib/mailroom ! -user mailroom -printf '%u %p\n' | head -5)
[ -z "$bad" ] || fail "files in /var/lib/mailroom not owned by mailroom: $bad"
n=$($sudo find /var/lib/mailroom/mail -type f \( -path '*/new/*' -o -path '*/cur/*' \) -user mailroom | wc -l)
[ "$n" -ge 2 ] || fail "expected 2 message files owned by mailroom under /var/lib/mailroom/mail, found $n"
say "every file under /var/lib/mailroom belongs to mailroom ($n messages)"

$sudo kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
# the JVM ends with 128+15 after running its shutdown hooks (the unit has SuccessExitStatus=143)
[ "$rc" -eq 143 ] || [ "$rc" -eq 0 ] || fail "the daemon exited with $rc on SIGTERM"
pid=""
grep -q "mailroom stopped" "$log" || fail "no 'mailroom stopped' line after SIGTERM"
say "stopped cleanly on SIGTERM"

# ---- the unit ------------------------------------------------------------------------------------
systemd-analyze verify /lib/systemd/system/mailroom.service >"$tmp/verify.log" 2>&1 \
    || { cat "$tmp/verify.log"; fail "systemd-analyze verify mailroom.service"; }
[ ! -s "$tmp/verify.log" ] || { cat "$tmp/verify.log"; fail "systemd-analyze verify printed warnings"; }
say "systemd-analyze verify accepts mailroom.service"

# ---- purge ---------------------------------------------------------------------------------------
$sudo dpkg --purge mailroom >"$tmp/purge.log" 2>&1 || { cat "$tmp/purge.log"; fail "dpkg --purge"; }
installed=""
[ ! -e /usr/bin/mailroom ] && [ ! -e /etc/mailroom ] || fail "files left after purge: $(ls -d /usr/bin/mailroom /etc/mailroom 2>/dev/null)"
[ "$(sendmail_state)" = "$sendmail_before" ] \
    || fail "/usr/sbin/sendmail or /usr/lib/sendmail changed: was '$sendmail_before', now '$(sendmail_state)'"
[ -n "$data_existed" ] || $sudo rm -rf /var/lib/mailroom
if [ -z "$user_existed" ]; then
    $sudo deluser --system mailroom >/dev/null 2>&1
    getent group mailroom >/dev/null && $sudo delgroup --system mailroom >/dev/null
fi
say "purged; PASS"
