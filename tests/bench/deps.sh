#!/usr/bin/env bash
# The benchmark's own Debian packages, only the missing ones (the project's
# tests/deps.sh installs the rest): nginx backends, wrk, iperf3, nftables
# and conntrack for the NAT candidate, gnuplot for the plots, haproxy.
# Services are never started by the install (a policy-rc.d says no while
# it runs, if the machine has none).
set -euo pipefail

pkgs=(nginx-light wrk iperf3 nftables conntrack gnuplot-nox haproxy bpftool iproute2 ethtool)
. "$(dirname "$0")/../deps_lib.sh"
install_missing bench --no-start "${pkgs[@]}"
