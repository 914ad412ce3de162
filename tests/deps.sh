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

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}; run as root (or install them)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
