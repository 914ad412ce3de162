#!/usr/bin/env bash
# make test-compose: compose/docker-compose.yml (the tutorial's stack with xlb
# in HAProxy's place) built and run with podman-compose, checked from the
# host through the published ports, then torn down. No registry here: the
# Debian base image is made locally (base-image.sh). Run as root.
#
#   1. packages (only the missing ones), containers.conf, base image
#   2. podman-compose up -d --build; poll http://localhost/
#   3. a burst of 20 concurrent requests 50 ms apart: all answered, the
#      fast app2 takes the clear majority (leastconn)
#   4. the published metrics port (a warning only, not a failure, for now)
#   5. app2 stopped: the health check marks server2 DOWN, 10 requests all
#      answered by app1 and app3
#   6. app2 started again (a new address: the agent re-resolves on SIGHUP)
#      and marked UP
#   7. the xlb container stopped: a clean detach, its pins gone
#   teardown (always): compose down, the project network, leftover pins.
# One line per check; exit status 1 if any failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/tests/compose
PROJECT=xlbtest
COMPOSE_FILE=$ROOT/compose/docker-compose.yml
NETWORK=${PROJECT}_default
INSTANCE=xlb-compose # XLB_INSTANCE in the compose file
PINS=/sys/fs/bpf/xlb-$INSTANCE
CONTAINERS=(flask_app1 flask_app2 flask_app3 xlb)
PORTS=(80 9101 5001 5002 5003)
BURST=20
GAP=0.05

FAILS=0
STARTED=
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
T0=$(now)
ok() { printf 'ok    %s\n' "$*"; }
fail() {
	printf 'FAIL  %s\n' "$*"
	FAILS=$((FAILS + 1))
}
dbg() { if [ -n "${XLB_COMPOSE_DEBUG:-}" ]; then printf 'debug %s %s\n' "$(date +%T.%N)" "$*"; fi; }
warn() { printf 'WARN  %s\n' "$*"; }
info() { printf '      %s\n' "$*"; }
die() {
	fail "$*"
	exit 1
}

[ "$(id -u)" -eq 0 ] || { echo "test-compose: run as root (podman, XDP)" >&2; exit 1; }
TMP=$(mktemp -d /tmp/xlb-compose.XXXXXX)

leftover() {
	podman ps -a --filter "label=io.podman.compose.project=$PROJECT" --format '{{.Names}}'
}
xlb_log() { podman logs xlb 2>&1; }
# Poll a command until it succeeds, for at most $1 seconds of wall time.
within() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}
running() { [ "$(podman inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

# --- teardown, on every exit path --------------------------------------------
teardown() {
	local rc=$? left
	set +e
	trap - EXIT INT TERM
	if [ -n "$STARTED" ]; then
		if [ "$FAILS" -gt 0 ] || [ "$rc" -ne 0 ]; then
			echo "---- podman logs xlb (last 30 lines)"
			podman logs xlb 2>&1 | tail -30
			echo "----"
		fi
		# xlb first, given its time to detach (and remove its pins); then
		# the apps, which need no grace.
		if running xlb; then podman stop -t 10 xlb >/dev/null 2>&1; fi
		podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" down -t 0 >"$TMP/down.log" 2>&1
		if podman network exists "$NETWORK"; then
			podman network rm -f "$NETWORK" >/dev/null 2>&1
		fi
		left=$(leftover)
		for c in "${CONTAINERS[@]}"; do
			if podman container exists "$c"; then left+=" $c"; fi
		done
		if [ -n "${left// /}" ]; then
			fail "teardown: containers left: $left"
		elif podman network exists "$NETWORK"; then
			fail "teardown: network $NETWORK left"
		else
			ok "teardown: compose down, no container left, network $NETWORK removed"
		fi
		# A container killed before it could detach leaves its pins (its
		# interface, and the XDP program with it, went with its namespace).
		if [ -e "$PINS" ]; then
			rm -rf "$PINS"
			warn "teardown: removed the pins left in $PINS (xlb did not detach)"
		fi
	fi
	rm -rf "$TMP"
	info "time: total $(secs "$T0" "$(now)")s${T_UP:+, up --build ${T_UP}s ($CACHE_STATE)}${T_BASE:+, base image ${T_BASE}s}"
	if [ "$FAILS" -gt 0 ] || [ "$rc" -ne 0 ]; then
		if [ "$FAILS" -gt 0 ]; then
			echo "test-compose: FAILED ($FAILS checks)"
		else
			echo "test-compose: FAILED (exit status $rc)"
		fi
		exit 1
	fi
	echo "test-compose: all checks passed"
	exit 0
}
trap teardown EXIT
trap 'exit 130' INT TERM

# --- packages: only the missing ones, as tests/deps.sh does ------------------
# netavark and aardvark-dns named explicitly: without recommends, apt may
# satisfy podman's network stack with CNI plugins, whose names do not resolve
# between containers. iptables: netavark publishes ports with it.
pkgs=(podman runc podman-compose debootstrap netavark aardvark-dns iptables
	curl python3 iproute2)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "test-compose: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- containers.conf: runc and cgroupfs (crun fails here) --------------------
CONF=/etc/containers/containers.conf
if [ ! -e "$CONF" ]; then
	mkdir -p /etc/containers
	cat >"$CONF" <<'EOF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
EOF
	ok "$CONF written (runc, cgroupfs)"
else
	# Each setting the recipe needs, as a regular expression and as text.
	bad=()
	want() {
		grep -Eq "^[[:space:]]*$1[[:space:]]*=[[:space:]]*$2[[:space:]]*(#.*)?$" "$CONF" ||
			bad+=("$3")
	}
	want runtime '"runc"' '[engine] runtime = "runc" (crun fails here)'
	want cgroup_manager '"cgroupfs"' '[engine] cgroup_manager = "cgroupfs" (hybrid cgroups)'
	want default_ulimits '\[\]' '[containers] default_ulimits = [] (runc cannot set the default nofile rlimit here)'
	if [ ${#bad[@]} -gt 0 ]; then
		fail "$CONF exists but lacks what containers need on this machine; set:"
		printf '        %s\n' "${bad[@]}"
		exit 1
	fi
	ok "$CONF has runtime = \"runc\", cgroup_manager = \"cgroupfs\", default_ulimits = []"
fi
backend=$(podman info --format '{{.Host.NetworkBackend}}' 2>/dev/null || true)
[ "$backend" = netavark ] ||
	warn "podman's network backend is '$backend', not netavark: names may not resolve"

# --- nothing in the way -------------------------------------------------------
if [ -n "$(leftover)" ]; then
	info "removing containers left by an earlier run: $(leftover | tr '\n' ' ')"
	if running xlb; then podman stop -t 10 xlb >/dev/null 2>&1 || true; fi
	podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" down -t 0 >/dev/null 2>&1 || true
	podman network rm -f "$NETWORK" >/dev/null 2>&1 || true
fi
for p in "${PORTS[@]}"; do
	if ss -Hltn "sport = :$p" | grep -q .; then
		die "host port $p is in use (the stack publishes 80, 9101, 5001-5003):" \
			"$(ss -Hltnp "sport = :$p" | head -1 | awk '{print $4, $6}')"
	fi
done
for c in "${CONTAINERS[@]}"; do
	if podman container exists "$c"; then
		die "a container named $c exists, not from this test: remove it"
	fi
done
if [ -e "$PINS" ]; then
	die "$PINS exists: another xlb with XLB_INSTANCE=$INSTANCE runs" \
		"(or one was killed: then remove the folder)"
fi
ok "host ports ${PORTS[*]} free, no container or pins in the way"

# --- base image and stack -------------------------------------------------
t=$(now)
"$HERE/base-image.sh" 2>&1 | sed -u 's/^/      /' || die "base image: tests/compose/base-image.sh failed"
T_BASE=$(secs "$t" "$(now)")

CACHE_STATE="warm: images built before"
podman image exists "localhost/${PROJECT}_xlb" || CACHE_STATE="cold: first build"
STARTED=1
t=$(now)
if ! podman-compose -p "$PROJECT" -f "$COMPOSE_FILE" up -d --build >"$TMP/up.log" 2>&1; then
	tail -30 "$TMP/up.log"
	die "podman-compose up -d --build failed"
fi
T_UP=$(secs "$t" "$(now)")
for c in "${CONTAINERS[@]}"; do
	podman container exists "$c" || { tail -30 "$TMP/up.log"; die "container $c was not created"; }
done
ok "podman-compose up -d --build: ${CONTAINERS[*]} created (${T_UP}s, $CACHE_STATE)"

# The first answer through the published port (a slow app takes 5 s).
t=$(now)
answer=
end=$((SECONDS + 90))
while [ "$SECONDS" -lt "$end" ]; do
	running xlb || break
	answer=$(curl -s -m 10 http://localhost/ || true)
	case $answer in "Hello from Flask App"*) break ;; esac
	sleep 1
done
running xlb || die "the xlb container stopped: $(podman inspect -f '{{.State.ExitCode}}' xlb 2>/dev/null)"
case $answer in
"Hello from Flask App"*) ok "curl http://localhost/ answers \"$answer\" ($(secs "$t" "$(now)")s after up)" ;;
*) die "curl http://localhost/ did not answer \"Hello from Flask App...\" within 90 s (got '$answer')" ;;
esac
if xlb_log | grep -q '^xlb: ready (pid 1)'; then
	ok "xlb runs as PID 1 in its container, $(xlb_log | grep -m1 -o '[^ ]*: attached in [a-z]* ([a-z]*) mode')"
else
	fail "the xlb log has no 'xlb: ready (pid 1)'"
fi

# N requests $GAP apart, all in flight together; prints the answers' counts
# "total app1 app2 app3".
burst() {
	local n=$1 out=$TMP/burst.$RANDOM pids=()
	: >"$out"
	for _ in $(seq "$n"); do
		curl -s -m 20 http://localhost/ >>"$out" 2>/dev/null &
		pids+=($!)
		sleep "$GAP"
	done
	wait "${pids[@]}" || true
	echo "$(grep -o 'Hello' "$out" | wc -l) $(grep -o 'App 1' "$out" | wc -l)" \
		"$(grep -o 'App 2' "$out" | wc -l) $(grep -o 'App 3' "$out" | wc -l)"
}

read -r total a1 a2 a3 < <(burst "$BURST")
dist="app1 $a1, app2 $a2, app3 $a3"
if [ "$total" -eq "$BURST" ]; then
	ok "burst: $total of $BURST concurrent requests, ${GAP}s apart, answered ($dist)"
else
	fail "burst: only $total of $BURST answered ($dist)"
fi
if [ "$a2" -gt $((BURST / 2)) ]; then
	ok "leastconn: the fast app2 took $a2 of $BURST (> $((BURST / 2)))"
else
	fail "leastconn: the fast app2 took only $a2 of $BURST ($dist)"
fi

# Metrics, published on 9101.
if curl -s -m 5 http://localhost:9101/metrics >"$TMP/metrics" && grep -q '^xlb_' "$TMP/metrics"; then
	ok "metrics: http://localhost:9101/metrics answers ($(grep -c '^xlb_' "$TMP/metrics") xlb_ samples)"
else
	warn "metrics: http://localhost:9101/metrics did not answer with xlb_ samples"
fi

# One app down: the health check routes around it.
t=$(now)
podman stop flask_app2 >/dev/null
if within 30 eval "xlb_log | grep -q 'server servers/server2 is DOWN'"; then
	ok "app2 stopped: xlb marked server2 DOWN after $(secs "$t" "$(now)")s (inter 2000 fall 3)"
else
	die "app2 stopped: no 'server servers/server2 is DOWN' in the xlb log within 30 s"
fi
read -r total a1 a2 a3 < <(burst 10)
dist="app1 $a1, app2 $a2, app3 $a3"
if [ "$total" -eq 10 ] && [ "$a2" -eq 0 ]; then
	ok "app2 down: 10 of 10 answered by app1 and app3 ($dist)"
else
	fail "app2 down: $total of 10 answered ($dist)"
fi

# Back again: compose gives the restarted container a new address; xlb,
# like HAProxy without `resolvers`, resolves names at start and on reload.
# The name does not resolve for a moment while the container starts: reload
# once it gives the new address (a reload that cannot resolve keeps the old
# configuration), and once more if server2 is still not UP.
t=$(now)
podman start flask_app2 >/dev/null
dbg "started"
addr=$(podman inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' flask_app2)
resolved() { podman exec xlb getent hosts app2 2>/dev/null | grep -q "^$addr "; }
up=
for attempt in 1 2; do
	within 20 resolved || true
	dbg "resolved"
	podman kill -s HUP xlb >/dev/null
	dbg "HUP sent"
	if within 15 eval "xlb_log | grep -q 'server servers/server2 is UP'"; then
		up=1
		break
	fi
done
if [ -n "$up" ]; then
	ok "app2 started again ($addr), xlb reloaded (SIGHUP$([ "$attempt" = 1 ] || echo ' twice')):" \
		"server2 UP after $(secs "$t" "$(now)")s"
else
	fail "app2 started again ($addr), xlb reloaded twice (SIGHUP): no 'server servers/server2" \
		"is UP'; app2 resolves to '$(podman exec xlb getent hosts app2 2>&1)'"
	podman exec xlb xlb status 2>&1 | sed 's/^/        /'
fi
lines=$(xlb_log | grep -c '^server servers/' || true)
if [ "$lines" -ge 2 ]; then
	ok "podman logs xlb shows the health transitions:"
	xlb_log | grep '^server servers/' | sed 's/^/        /'
else
	fail "podman logs xlb shows $lines health transition lines"
fi

# A clean stop: SIGTERM to PID 1, detach, pins removed.
podman stop -t 10 xlb >/dev/null
code=$(podman inspect -f '{{.State.ExitCode}}' xlb)
if [ "$code" = 0 ] && xlb_log | grep -q 'detaching' && [ ! -e "$PINS" ]; then
	ok "podman stop xlb: exit 0, '$(xlb_log | grep -m1 detaching)', $PINS removed"
else
	fail "podman stop xlb: exit code $code, $(xlb_log | grep -c detaching) 'detaching' lines," \
		"pins $([ -e "$PINS" ] && echo left || echo removed)"
fi

# The compose files stay plain Docker Compose: checked by docker-compose
# itself when it is installed (not installed by this test).
if command -v docker-compose >/dev/null; then
	for f in docker-compose.yml docker-compose.host.yml; do
		if XLB_IFACE=eth0 docker-compose -f "$ROOT/compose/$f" config -q 2>"$TMP/dc.err"; then
			ok "docker-compose $(docker-compose version --short 2>/dev/null) config: compose/$f is valid"
		else
			fail "docker-compose config: compose/$f: $(head -3 "$TMP/dc.err")"
		fi
	done
fi
