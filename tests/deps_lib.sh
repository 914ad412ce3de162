#!/usr/bin/env bash
# install_missing WHO [--no-start] PKG...: install those of the Debian
# packages that are missing (as root; otherwise name them and fail). WHO
# prefixes the messages. --no-start keeps their services from starting
# while they install (a policy-rc.d says no, if the machine has none).
# Sourced by tests/deps.sh and tests/bench/deps.sh.
install_missing() {
	local who=$1 nostart= p made=
	shift
	if [ "${1:-}" = --no-start ]; then
		nostart=1
		shift
	fi
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "$who: missing packages: ${missing[*]}; run as root (or install them)" >&2
		return 1
	fi
	local policy=/usr/sbin/policy-rc.d
	if [ -n "$nostart" ] && [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod +x "$policy"
		made=1
	fi
	echo "$who: installing ${missing[*]}"
	local rc=0
	DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null || rc=$?
	[ -n "$made" ] && rm -f "$policy"
	return $rc
}
