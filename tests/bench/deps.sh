#!/usr/bin/env bash
# The benchmark's own Debian packages, only the missing ones (the project's
# tests/deps.sh installs the rest): nginx backends, wrk, iperf3, nftables
# and conntrack for the NAT candidate, gnuplot for the plots, haproxy.
# Services are never started by the install (a policy-rc.d says no while
# it runs, if the machine has none).
set -euo pipefail

pkgs=(nginx-light wrk iperf3 nftables conntrack gnuplot-nox haproxy bpftool iproute2 ethtool)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "bench: missing packages: ${missing[*]}; run as root (or install them)" >&2
	exit 1
fi
policy=/usr/sbin/policy-rc.d
made=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod +x "$policy"
	made=1
fi
trap '[ -n "$made" ] && rm -f "$policy"' EXIT
echo "bench: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
