#!/usr/bin/env bash
# The end-to-end benchmark topology (parts 2, 3, 5) and its candidates.
# Source after common.sh.
#
#   c (client, CLIENT_CPU) eth0 10.78.1.100 -- lb eth0 10.78.1.1 (VIP)
#                                              lb eth1 10.78.2.1 -- bridge -- s1..sN 10.78.2.11..
#   c eth1 10.78.3.100 ------------------------------------------- s1 eth1 10.78.3.11
#
# The second link is the "no balancer" candidate: the client straight to
# one backend. Every balancer candidate uses the same lb namespace, the
# same VIP and the same backends.

BENCH_PY=/usr/bin/python3
BLIB="$BENCH_PY $BENCH_DIR/benchlib.py"

e2e_topology() {
	local n=${1:-3}
	topo_twoarm "$n"
	link c eth1 10.78.3.100/24 s1 eth1
	ip -n "$(ns s1)" addr add 10.78.3.11/24 dev eth1
	DIRECT_IP=10.78.3.11
}

# An nginx of one worker that answers every request on port $2 with 200
# and body $3: $1/nginx.conf, its files in the fresh folder $1 (removed at
# exit).
nginx_conf() {
	local d=$1 port=$2 body=$3
	_BENCH_CLEAN+=("rm -rf '$d'")
	cat >"$d/nginx.conf" <<-EOF
	worker_processes 1;
	daemon off;
	pid $d/nginx.pid;
	error_log stderr warn;
	events { worker_connections 8192; }
	http {
	  access_log off;
	  client_body_temp_path $d/body;
	  proxy_temp_path $d/proxy;
	  fastcgi_temp_path $d/fcgi;
	  uwsgi_temp_path $d/uwsgi;
	  scgi_temp_path $d/scgi;
	  keepalive_requests 10000000;
	  server {
	    listen $port backlog=8192;
	    location / { return 200 "$body\n"; }
	  }
	}
	EOF
}

# nginx on every server (one worker, SERVER_CPU), port 80; $1 = count.
start_nginx() {
	local i d
	for i in $(seq 1 "$1"); do
		d=$(mktemp -d "/tmp/xlb-$XLB_TAG-nginx$i.XXXXXX")
		nginx_conf "$d" 80 "hello from s$i"
		spawn "s$i" "$d/log" taskset -c "$SERVER_CPU" nginx -c "$d/nginx.conf"
	done
	for i in $(seq 1 "$1"); do
		wait_for 20 listening "s$i" 80 || { echo "bench: nginx on s$i did not start" >&2; return 1; }
	done
}

start_iperf_server() {
	spawn s1 "$(tmpfile)" taskset -c "$SERVER_CPU" iperf3 -s -p 5201
	wait_for 20 listening s1 5201 || { echo "bench: iperf3 -s did not start" >&2; return 1; }
}

# nftables DNAT + masquerade in lb (conntrack), with forwarding on.
# $1: the DNAT rules, one per line (nft syntax, in chain pre).
start_nft() {
	in_ns lb sysctl -qw net.ipv4.ip_forward=1
	in_ns lb nft -f - <<-EOF || return 1
	table ip xlbbench {
	  chain pre {
	    type nat hook prerouting priority dstnat; policy accept;
	    $1
	  }
	  chain post {
	    type nat hook postrouting priority srcnat; policy accept;
	    oifname "eth1" masquerade
	  }
	}
	EOF
}

stop_nft() {
	in_ns lb nft delete table ip xlbbench 2>/dev/null || true
	in_ns lb sysctl -qw net.ipv4.ip_forward=0
}

start_haproxy() {
	HAPROXY_LOG=$(tmpfile)
	spawn lb "$HAPROXY_LOG" haproxy -db -f "$1"
	HAPROXY_PID=$LAST_PID
	wait_for 20 listening lb "${2:-80}" || { echo "bench: haproxy did not start:" >&2; cat "$HAPROXY_LOG" >&2; return 1; }
}

stop_haproxy() {
	kill -TERM "$HAPROXY_PID" 2>/dev/null || true
	wait "$HAPROXY_PID" 2>/dev/null || true
	local p keep=()
	for p in "${_PIDS[@]}"; do [ "$p" = "$HAPROXY_PID" ] || keep+=("$p"); done
	_PIDS=("${keep[@]}")
}

# The attach mode xlb reported at start (its log's "mode" line).
xlb_mode_line() {
	grep -m1 -iE 'generic|native' "$XLB_LOG" | sed 's/^xlb: //' | tr -d '"\\' || echo unknown
}
