#!/bin/sh
# Entry point of the xlb image. Without arguments (or with options only,
# passed on to `xlb run`), it waits until the configuration's server names
# resolve (compose's DNS knows a service only once its container started),
# then execs `xlb run` as PID 1: xlb takes SIGTERM/SIGINT itself (through
# a signalfd, which works for PID 1), detaches and removes its pins, so
# `docker stop` is a clean stop; SIGHUP reloads the configuration. Its log
# (start, health-check transitions) goes to stdout/stderr: `docker logs`.
# With a command as first argument (`status`, `check -f ...`, `help`),
# runs that xlb command instead.
#
# Environment:
#   XLB_CONFIG   HAProxy-syntax configuration (/etc/xlb/haproxy.cfg)
#   XLB_IFACE    interface(s) to attach to, space-separated (eth0)
#   XLB_MODE     auto|native|generic (auto: generic on veth)
#   XLB_METRICS  ADDR:PORT of the Prometheus metrics listener
#                (0.0.0.0:9101; empty: none)
#   XLB_WAIT     seconds to wait for the names to resolve (60)
#   XLB_INSTANCE names the pins /sys/fs/bpf/xlb-NAME (read by xlb itself)
set -eu

case "${1:-}" in
"" | -*) ;;
*) exec xlb "$@" ;;
esac

cfg=${XLB_CONFIG:-/etc/xlb/haproxy.cfg}
ifaces=${XLB_IFACE:-eth0}
mode=${XLB_MODE:-auto}
metrics=${XLB_METRICS-0.0.0.0:9101}
limit=${XLB_WAIT:-60}

# The shell is PID 1 until the exec: without a trap it would ignore
# SIGTERM while it waits.
trap 'exit 143' TERM
trap 'exit 130' INT

for i in $ifaces; do
	set -- "$@" -i "$i"
done
[ -n "$metrics" ] && set -- "$@" --metrics "$metrics"

# Only a name that does not resolve (yet) is waited for; any other error
# in the configuration stops here at once.
n=0
until out=$(xlb check -f "$cfg" 2>&1); do
	case "$out" in
	*"cannot resolve"*) ;;
	*) printf '%s\n' "$out" >&2; exit 1 ;;
	esac
	if [ "$n" -ge "$limit" ]; then
		printf '%s\n' "$out" >&2
		echo "xlb-entrypoint: names still unresolved after ${limit}s" >&2
		exit 1
	fi
	[ "$n" -eq 0 ] && echo "xlb-entrypoint: waiting for the names in" \
		"$cfg to resolve (up to ${limit}s)"
	n=$((n + 1))
	sleep 1 &
	wait $! || true
done
for i in $ifaces; do
	n=0
	until [ -e "/sys/class/net/$i" ]; do
		if [ "$n" -ge "$limit" ]; then
			echo "xlb-entrypoint: no interface $i" >&2
			exit 1
		fi
		n=$((n + 1))
		sleep 1 &
		wait $! || true
	done
done

echo "xlb-entrypoint: xlb run -f $cfg --mode $mode $*" \
	"(XLB_INSTANCE=${XLB_INSTANCE:-})"
exec xlb run -f "$cfg" --mode "$mode" "$@"
