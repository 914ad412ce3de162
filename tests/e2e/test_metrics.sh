#!/usr/bin/env bash
# Prometheus metrics (xlb run --metrics): a port already taken fails the
# start clearly; the exposition parses strictly (prometheus_client) and
# its counts match the traffic sent and `xlb status`; a held connection
# shows on its server; 404/405/400 answers; idle and slow clients never
# keep a scrape from being answered.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/assert.sh"

N=30		# sequential requests, roundrobin over 3 servers
PORT=9101
MURL="http://127.0.0.1:$PORT"

# Strict parse of an exposition file, then Python expressions over it, one
# result a line: v(name, **labels) = the one matching sample, s(...) = sum
# of matches, n(...) = how many match; no expression: the sample count.
# Fails on any parse error, a family without HELP or TYPE, or a sample
# given twice.
MQ=$(tmpfile)
cat >"$MQ" <<'EOP'
import sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
samples, seen = [], set()
for f in text_string_to_metric_families(text):
    assert f.documentation, "no HELP for " + f.name
    assert f.type in ("counter", "gauge"), f.name + ": type " + f.type
    for x in f.samples:
        key = (x.name, tuple(sorted(x.labels.items())))
        assert key not in seen, "sample twice: %r" % (key,)
        seen.add(key)
        samples.append(x)
def match(name, **lb):
    return [x.value for x in samples if x.name == name and
            all(x.labels.get(k) == w for k, w in lb.items())]
def v(name, **lb):
    m = match(name, **lb)
    assert len(m) == 1, "%s %r: %d samples" % (name, lb, len(m))
    return m[0]
def s(name, **lb):
    return sum(match(name, **lb))
def n(name, **lb):
    return len(match(name, **lb))
for e in sys.argv[2:] or ["len(samples)"]:
    r = eval(e)
    print(int(r) if isinstance(r, float) and r.is_integer() else r)
EOP

scrape() { # $1 = output file
	in_ns lb curl -sS -m 5 -o "$1" "$MURL/metrics"
}
mq() { "$PY" "$MQ" "$@"; }
SCR=$(tmpfile)
# Scrape and evaluate in one step (for wait_for).
now_is() { scrape "$SCR" && [ "$(mq "$SCR" "$1")" = "$2" ]; }

topo_twoarm 3
for i in 1 2 3; do start_httpd "$i" 8000; done
cfg=$(tmpfile)
cat >"$cfg" <<EOC
frontend web
    bind $VIP:80
    default_backend pool
backend pool
    balance roundrobin
    server s1 $(server_ip 1):8000
    server s2 $(server_ip 2):8000
    server s3 $(server_ip 3):8000
EOC

echo "1. the metrics port is taken: xlb run fails, saying so"
spawn lb "$(tmpfile)" "$PY" -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", '"$PORT"')); s.listen(); time.sleep(60)'
holder=$LAST_PID
wait_for 10 listening lb "$PORT" || fail "port holder did not start"
XLB_STARTED=1
rc=0
msg=$(in_ns lb timeout 60 "$XLB" run -f "$cfg" "${LB_IFACES[@]}" \
	--metrics "127.0.0.1:$PORT" 2>&1) || rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && ok "xlb run exits $rc" || fail "xlb run: exit $rc: $msg"
grep -qxF "xlb: metrics 127.0.0.1:$PORT: Address already in use" <<<"$msg" &&
	ok "message: xlb: metrics 127.0.0.1:$PORT: Address already in use" ||
	fail "no clear message: $msg"
[ ! -e "${XLB_PINS:-/sys/fs/bpf/xlb}" ] && ok "the failed start left no pins" || fail "pins left behind"
kill "$holder"
wait "$holder" 2>/dev/null || true
wait_for 10 sh -c "! nsenter --net=/run/netns/$(ns lb) ss -Hltn 'sport = :$PORT' | grep -q ." ||
	fail "port holder still there"

echo "2. $N sequential requests, then the metrics"
start_xlb "$cfg" --metrics "127.0.0.1:$PORT"
grep -qF "xlb: metrics on http://127.0.0.1:$PORT/metrics" "$XLB_LOG" &&
	ok "agent logs where the metrics are" || fail "no metrics line in the log"
out=$(tmpfile)
for i in $(seq "$N"); do in_ns c curl -s -m 5 "http://$VIP/" >>"$out" || true; done
expect_eq "$(grep -c . "$out")" "$N" "$N requests answered"
wait_for 10 now_is 's("xlb_server_current_sessions")' 0 ||
	fail "current sessions not back to 0"
hdr=$(tmpfile)
in_ns lb curl -sS -m 5 -D "$hdr" -o "$SCR" "$MURL/metrics"
grep -qix $'content-type: text/plain; version=0.0.4\r' "$hdr" &&
	ok "Content-Type: text/plain; version=0.0.4" || fail "headers: $(cat "$hdr")"
grep -q "^HTTP/1.1 200 OK" "$hdr" && ok "200 OK" || fail "status line: $(head -1 "$hdr")"
nsamples=$(mq "$SCR") || fail "the exposition does not parse: $(head -c 2000 "$SCR")"
ok "strict parse: $nsamples samples, every family with HELP and TYPE"
expect_eq "$(mq "$SCR" 's("xlb_server_sessions_total")')" "$N" "sum of xlb_server_sessions_total"
for i in 1 2 3; do
	expect_eq "$(mq "$SCR" "v('xlb_server_sessions_total', proxy='pool', server='s$i')")" \
		$((N / 3)) "s$i: sessions_total (roundrobin: N/3)"
	expect_eq "$(mq "$SCR" "v('xlb_server_current_sessions', proxy='pool', server='s$i')")" 0 \
		"s$i: current_sessions"
	expect_eq "$(mq "$SCR" "v('xlb_server_status', proxy='pool', server='s$i', state='UP')")" 1 \
		"s$i: xlb_server_status{state=\"UP\"}"
	expect_eq "$(mq "$SCR" "n('xlb_server_status', proxy='pool', server='s$i')") $(mq "$SCR" "s('xlb_server_status', proxy='pool', server='s$i')")" \
		"5 1" "s$i: one state of UP, DOWN, MAINT, DRAIN, NOLB set"
	expect_eq "$(mq "$SCR" "v('xlb_server_weight', proxy='pool', server='s$i')")" 1 "s$i: weight"
	for m in bytes_in bytes_out packets_in packets_out; do
		expect_ge "$(mq "$SCR" "v('xlb_server_${m}_total', proxy='pool', server='s$i')")" 1 \
			"s$i: ${m}_total"
	done
	expect_eq "$(mq "$SCR" "v('xlb_server_check_failures_total', proxy='pool', server='s$i')") $(mq "$SCR" "v('xlb_server_downtime_seconds_total', proxy='pool', server='s$i')")" \
		"0 0" "s$i: no check failure, no downtime"
done
expect_eq "$(mq "$SCR" "n('xlb_server_check_last_duration_seconds')")" 0 \
	"no check duration for servers without checks"
expect_eq "$(mq "$SCR" "v('xlb_backend_active_servers', proxy='pool')")" 3 "xlb_backend_active_servers"
expect_eq "$(mq "$SCR" "v('xlb_backend_backup_servers', proxy='pool')")" 0 "xlb_backend_backup_servers"
expect_eq "$(mq "$SCR" "v('xlb_backend_sessions_total', proxy='pool')")" "$N" "xlb_backend_sessions_total"
expect_eq "$(mq "$SCR" "v('xlb_backend_current_sessions', proxy='pool')")" 0 "xlb_backend_current_sessions"
expect_eq "$(mq "$SCR" "v('xlb_frontend_sessions_total', proxy='web')")" "$N" "xlb_frontend_sessions_total"
expect_eq "$(mq "$SCR" "v('xlb_frontend_bytes_in_total', proxy='web') == s('xlb_server_bytes_in_total') > 0")" \
	True "frontend bytes in = sum over its servers"
expect_eq "$(mq "$SCR" "v('xlb_frontend_bytes_out_total', proxy='web') == s('xlb_server_bytes_out_total') > 0")" \
	True "frontend bytes out = sum over its servers"
expect_eq "$(mq "$SCR" "v('xlb_datapath_flow_events_total', event='flow_created')")" "$N" \
	"flow_created events"
expect_eq "$(mq "$SCR" "len([x for x in samples if 'reason_' in x.labels.get('reason', '') + x.labels.get('event', '')])")" \
	0 "every data-path reason has a name (agent/reasons.c)"
# Two arms: the data path forwards by redirect between the interfaces.
expect_ge "$(mq "$SCR" "v('xlb_datapath_packets_total', reason='forward_redirect')")" 1 \
	"xlb_datapath_packets_total{reason=\"forward_redirect\"}"
start=$(mq "$SCR" "v('xlb_agent_start_time_seconds')")
[ "$start" -le "$(date +%s)" ] && [ "$start" -gt $(( $(date +%s) - 300 )) ] &&
	ok "xlb_agent_start_time_seconds ($start)" || fail "start time $start"

# The same numbers as xlb status (the last ACKs may trail: poll).
same_as_status() {
	local st
	st=$(tmpfile)
	scrape "$SCR" && xlb_status_json >"$st" || return 1
	"$PY" - "$MQ" "$SCR" "$st" <<'EOP'
import json, subprocess, sys
mq, scr, st = sys.argv[1:]
d = json.load(open(st))
want, exprs = [], []
for v in d["services"]:
    for srv in v["servers"]:
        for k, m in (("packets_in", "packets_in"), ("packets_out", "packets_out"),
                     ("bytes_in", "bytes_in"), ("bytes_out", "bytes_out"),
                     ("flows", "sessions")):
            want.append(str(srv[k]))
            exprs.append("v('xlb_server_%s_total', proxy=%r, server=%r)" %
                         (m, v["backend"], srv["name"]))
for r, val in d["reasons"].items():
    ev = r.startswith("flow_")
    want.append(str(val))
    exprs.append("v('xlb_datapath_%s', %s=%r)" %
                 ("flow_events_total" if ev else "packets_total",
                  "event" if ev else "reason", r))
got = subprocess.run([sys.executable, mq, scr] + exprs, check=True,
                     capture_output=True, text=True).stdout.split()
print(" ".join(got), "|", " ".join(want))
sys.exit(want != got)
EOP
}
wait_for 10 same_as_status && ok "per-server packets, bytes, flows and every reason match xlb status --json" ||
	fail "metrics and xlb status differ: $(same_as_status)"

echo "3. a held connection shows on its server"
in_ns c curl -s -m 30 "http://$VIP/hold/5" >/dev/null &
held=$!
wait_for 10 now_is 's("xlb_server_current_sessions")' 1 || fail "no current session seen"
holder_srv=$(mq "$SCR" "[x for x in ('s1','s2','s3') if v('xlb_server_current_sessions', proxy='pool', server=x) == 1][0]")
ok "current_sessions 1 on $holder_srv, 0 on the others"
expect_eq "$(server_active "$holder_srv")" 1 "xlb status: $holder_srv active 1"
expect_eq "$(mq "$SCR" "v('xlb_backend_current_sessions', proxy='pool')")" 1 "backend current_sessions"
expect_eq "$(mq "$SCR" "v('xlb_server_max_sessions', proxy='pool', server='$holder_srv')")" 1 \
	"$holder_srv: max_sessions (sampled by the agent every 100 ms)"
wait "$held" || true
wait_for 10 now_is 's("xlb_server_current_sessions")' 0 || fail "held connection not released"
ok "current_sessions back to 0"

echo "4. other paths, methods and malformed requests"
code() { in_ns lb curl -s -m 5 -o /dev/null -w '%{http_code}' "$@"; }
expect_eq "$(code "$MURL/other")" 404 "GET /other"
expect_eq "$(code "$MURL/")" 404 "GET /"
expect_eq "$(code -X POST "$MURL/metrics")" 405 "POST /metrics"
expect_eq "$(code "$MURL/metrics?x=1")" 200 "GET /metrics?x=1"
expect_eq "$(in_ns lb curl -s -m 5 -I "$MURL/metrics" | grep -ci '^content-length: [1-9]')" 1 \
	"HEAD /metrics: a Content-Length"
raw() { # send $1 raw, print the status line
	in_ns lb bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$PORT"'; printf "$1" >&3; head -1 <&3 | tr -d "\r"' _ "$1"
}
expect_eq "$(raw 'garbage\r\n\r\n')" "HTTP/1.1 400 Bad Request" "a request line that is not HTTP"
expect_eq "$(raw 'GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n')" "HTTP/1.1 400 Bad Request" \
	"a malformed header"
expect_eq "$(raw 'GET /metrics HTTP/3.0\r\n\r\n')" "HTTP/1.1 505 HTTP Version Not Supported" "HTTP/3.0"
expect_eq "$(raw "GET /metrics HTTP/1.1\r\nX: $(head -c 5000 /dev/zero | tr '\0' a)\r\n\r\n")" \
	"HTTP/1.1 400 Bad Request" "a 5000-byte header (the buffer holds 4096)"
expect_eq "$(raw 'GET /metrics HTTP/1.0\n\n')" "HTTP/1.1 200 OK" "bare LF line ends"

echo "5. idle and slow clients do not hold the agent"
for i in $(seq 40); do	# more than the 32 client slots
	spawn lb /dev/null bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$PORT"'; exec sleep 20'
done
wait_for 10 sh -c "[ \$(nsenter --net=/run/netns/$(ns lb) ss -Htn state established 'sport = :$PORT' | wc -l) -ge 32 ]" ||
	fail "idle clients did not connect"
t0=$(date +%s%N)
scrape "$SCR" && mq "$SCR" >/dev/null || fail "no scrape while 40 clients sit idle"
ok "scrape answered in $(( ($(date +%s%N) - t0) / 1000000 )) ms with 40 idle connections open"
# A client that asks and then does not read, with a tiny receive buffer;
# small send buffers in lb's namespace make the agent meet EAGAIN and
# finish the answer on EPOLLOUT.
in_ns lb sysctl -qw net.ipv4.tcp_wmem="4096 4096 4096"
slow=$(tmpfile)
spawn lb "$slow" "$PY" -c 'import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
s.connect(("127.0.0.1", '"$PORT"'))
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(3)
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
head, body = data.split(b"\r\n\r\n", 1)
length = [int(h.split(b":")[1]) for h in head.split(b"\r\n")
          if h.lower().startswith(b"content-length:")]
print("complete" if [len(body)] == length else "truncated", len(body),
      head.decode().split("\r\n")[0])'
slowpid=$LAST_PID
sleep 0.5
scrape "$SCR" && mq "$SCR" >/dev/null && ok "scrape answered while a client does not read" ||
	fail "scrape blocked by a client that does not read"
wait "$slowpid" || fail "slow client failed: $(cat "$slow")"
grep -q '^complete .* HTTP/1.1 200 OK$' "$slow" && ok "the slow client got its answer: $(cat "$slow")" ||
	fail "slow client: $(cat "$slow")"

stop_xlb && ok "agent exits 0" || fail "agent exit status"
