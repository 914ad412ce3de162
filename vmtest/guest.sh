#!/bin/bash
# What runs inside a vmtest guest: vmtest/init has mounted the host's / (an
# overlay over a read-only 9p mount), proc, sys, dev, bpffs and the results
# share, and chroots here.  Runs the BPF fixtures and the end-to-end tests
# from the repository root, as `make test` does on the host, and leaves in
# the results share, for run.sh: kernel (uname -r), NAME.log and NAME.rc
# ("EXIT_CODE SECONDS") for each suite, dmesg.txt at the end.  A marker line
# per suite goes to the console.
# Usage: guest.sh REPO OUT [E2E_TEST,...]   (default: test_twoarm)
set -uo pipefail
repo=$1 out=$2 e2e=${3:-test_twoarm}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C
# For tests that want to know: this is an emulated (TCG) guest, where a
# process start costs ~0.1 s and python3's ~1-2 s; scale waits by it.
export XLBT_TCG=1
cd "$repo" || exit 1
uname -r >"$out/kernel"

suite() { # name, command...
	local name=$1 start rc
	shift
	echo "XLB-VMTEST-BEGIN $name"
	start=$(date +%s)
	"$@" >"$out/$name.log" 2>&1
	rc=$?
	echo "$rc $(($(date +%s) - start))" >"$out/$name.rc"
	echo "XLB-VMTEST-RESULT $name rc=$rc ($(($(date +%s) - start)) s)"
}

suite bpf tests/bpf/run.sh
IFS=, read -ra tests <<<"$e2e"
for t in "${tests[@]}"; do
	# Objects that do not load here fail the agent the same way: say so
	# rather than spend minutes on it.
	if grep -q 'cannot load the objects' "$out/bpf.log"; then
		echo "notrun 0" >"$out/e2e-$t.rc"
		continue
	fi
	suite "e2e-$t" timeout 420 bash "tests/e2e/$t.sh"
done
dmesg >"$out/dmesg.txt"
