#!/usr/bin/env bash
# Installs the Debian packages xlb needs to build, test and demo: only the
# missing ones. Run as root on Debian bookworm (make deps does).
set -euo pipefail

pkgs=(
	clang llvm make gcc pkg-config          # build
	libbpf-dev bpftool libxdp-dev xdp-tools # BPF side and loader
	libelf-dev zlib1g-dev
	iproute2 iputils-ping ethtool procps psmisc util-linux # namespaces, nsenter
	python3 python3-flask curl              # tutorial apps and clients
	python3-prometheus-client               # the metrics test parses with it
	python3-scapy                           # raw TCP corner cases (e2e)
	haproxy                                 # the reference we compare with
)

. "$(dirname "$0")/deps_lib.sh"
install_missing deps "${pkgs[@]}"
