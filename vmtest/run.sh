#!/usr/bin/env bash
# make vmtest: boot each kernel of vmtest/kernels.list under QEMU (TCG, no
# KVM needed) and run the BPF fixtures and an end-to-end namespace test
# inside it, then check the guest's kernel log for WARN/BUG/Oops.  One line
# per kernel, a summary, non-zero exit if any kernel FAILs.
#
# Usage: vmtest/run.sh [NAME...]        (default: every kernel in the list)
# Environment:
#   VMTEST_KERNELS  names to run, like the arguments
#   VMTEST_E2E      e2e tests to run, comma-separated (default test_twoarm)
#   VMTEST_TIMEOUT  seconds per guest run (default 600 with one e2e test)
#   VMTEST_CACHE    downloads, kernels and initramfs (default
#                   /var/cache/xlb-vmtest: kept across runs and `make clean`)
#   VMTEST_MIRROR   Debian mirror (default http://deb.debian.org)
#   VMTEST_LOGS     a folder to keep each guest's logs in (NAME/: console,
#                   suites' logs, dmesg); by default they are deleted
#   V=1             show each guest's console as it runs
# Needs root (apt-get, reading the whole host / for the guest).  See
# vmtest/README.md for how it works.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd -P)
LIST=vmtest/kernels.list
CACHE=${VMTEST_CACHE:-/var/cache/xlb-vmtest}
MIRROR=${VMTEST_MIRROR:-http://deb.debian.org}
E2E=${VMTEST_E2E:-test_twoarm}
[[ $E2E =~ ^[A-Za-z0-9_,]+$ ]] || { echo "vmtest: VMTEST_E2E=$E2E: comma-separated test names (test_twoarm,...)" >&2; exit 1; }
IFS=, read -ra e2e_tests <<<"$E2E"
# Boot and the BPF suite take well under 3 minutes; guest.sh gives each e2e
# test 420 s.
TIMEOUT=${VMTEST_TIMEOUT:-$((180 + 420 * ${#e2e_tests[@]}))}

# Modules the guest loads with their dependencies, unless built in.
BOOT_MODULES=(virtio_pci 9pnet_virtio 9p overlay) # the host's / over 9p
TEST_MODULES=(veth bridge)                        # the tests' topologies
OPT_MODULES=(inet_diag tcp_diag)                  # ss; it copes without

# Features xlb needs, as the guest's test logs show their absence:
# "extended regex|feature (kernel version)".
FEATURES=(
	'func (unknown|bpf_loop)#181|bpf_loop() helper (Linux 5.17)'
	'func (unknown|bpf_for_each_map_elem)#164|bpf_for_each_map_elem() helper (Linux 5.13)'
	'BPF_XADD uses reserved fields|BPF_ATOMIC uses invalid atomic opcode|BPF atomic fetch/xchg/cmpxchg (Linux 5.12)'
	# Before 5.13 the verifier does not count callbacks (bpf_loop's,
	# bpf_for_each_map_elem's) as subprograms, so the BTF has one too many.
	"number of funcs in func_info doesn't match number of subprogs|BPF callback functions for bpf_for_each_map_elem()/bpf_loop() (Linux 5.13)"
)
# Kernel log lines that fail a kernel.
DMESG_BAD='WARNING:|BUG:|Oops|Call Trace|general protection fault|Kernel panic'

PKGS=(qemu-system-x86 busybox-static xz-utils zstd cpio util-linux coreutils)

say() { echo "vmtest: $*"; }
die() { echo "vmtest: $*" >&2; exit 1; }

install_missing() {
	local p missing=()
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---- cleanup: our qemu (by pid), our temporary folders ----------------
RUN_TMP=
QEMU_PID=
EXTRACT_TMP=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM HUP
	if [ -n "$QEMU_PID" ]; then
		kill -TERM "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
		say "interrupted: qemu stopped"
	fi
	[ -n "$EXTRACT_TMP" ] && rm -rf "$EXTRACT_TMP"
	[ -n "$RUN_TMP" ] && rm -rf "$RUN_TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---- fetching a kernel: private apt lists per kernel, nothing system-wide
APT=()
apt_setup() { # name suites
	local name=$1 suites=$2 s dir=$CACHE/apt/$1
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	for s in ${suites//,/ }; do
		case $s in
		*-security) echo "deb $MIRROR/debian-security $s main" ;;
		*) echo "deb $MIRROR/debian $s main" ;;
		esac
	done >"$dir/sources.list"
	APT=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=-
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root
		-o Acquire::Languages=none)
	if ! apt-get "${APT[@]}" -qq update >"$RUN_TMP/apt.log" 2>&1; then
		if compgen -G "$dir/lists/*_Packages" >/dev/null; then
			say "$name: cannot update the package lists ($(tail -1 "$RUN_TMP/apt.log")); using the cached ones"
		else
			PREP_ERR="cannot fetch the package lists of $suites: $(tail -1 "$RUN_TMP/apt.log")"
			return 1
		fi
	fi
}

KPKG_RE='^linux-(image|binary|modules|base)-[0-9]'
# The packages that hold PACKAGE's kernel image and modules, "name=version"
# per line: PACKAGE itself when it is one, and its linux-* dependencies at
# the versions they are pinned to (a metapackage holds nothing itself).
closure() { # package [version]
	local pkg=$1 ver=${2:-} dep dname dver
	if [ -z "$ver" ]; then
		ver=$(apt-cache "${APT[@]}" policy "$pkg" 2>/dev/null |
			sed -n 's/^ *Candidate: //p')
		[ -n "$ver" ] && [ "$ver" != "(none)" ] || return 1
	fi
	[[ $pkg =~ $KPKG_RE ]] && echo "$pkg=$ver"
	apt-cache "${APT[@]}" show "$pkg=$ver" 2>/dev/null |
		sed -n '/^$/q; s/^Depends: //p' | tr ',' '\n' |
		while read -r dep; do
			dep=${dep%%|*}
			dname=${dep%% *}
			[[ $dname =~ $KPKG_RE ]] || continue
			dver=
			[[ $dep =~ \(=\ *([^\)\ ]+)\) ]] && dver=${BASH_REMATCH[1]}
			closure "$dname" "$dver"
		done
}

# Modules: index of NAME -> path under the module tree, built-in names.
declare -A MODPATH BUILTIN
LOAD=()
index_modules() { # module dir
	local f n
	MODPATH=() BUILTIN=()
	while IFS= read -r f; do
		n=${f##*/}
		n=${n%%.ko*}
		MODPATH[${n//-/_}]=${f#"$1"/}
	done < <(find "$1" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
	if [ -f "$1/modules.builtin" ]; then
		while IFS= read -r f; do
			n=${f##*/}
			n=${n%%.ko*}
			BUILTIN[${n//-/_}]=1
		done <"$1/modules.builtin"
	fi
}

# Copy module NAME and its dependencies (decompressed) into DEST's tree.
copy_module() { # module dir, dest module dir, name
	local src=$1 dst=$2 n=${3//-/_} rel out d
	[ -n "${BUILTIN[$n]:-}" ] && return 0
	rel=${MODPATH[$n]:-}
	[ -n "$rel" ] || return 1
	out=$dst/${rel%%.ko*}.ko
	[ -f "$out" ] && return 0
	mkdir -p "${out%/*}"
	case $rel in
	*.xz) xz -dc "$src/$rel" >"$out" ;;
	*.zst) zstd -dcq "$src/$rel" >"$out" ;;
	*.gz) gzip -dc "$src/$rel" >"$out" ;;
	*) cp "$src/$rel" "$out" ;;
	esac || { rm -f "$out"; return 2; }
	for d in $(tr '\0' '\n' <"$out" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '); do
		copy_module "$src" "$dst" "$d" || return $?
	done
}

# Build vmlinuz + initramfs for one kernel from its packages in $kdir/debs.
# (Called under `if`, where set -e does not apply: every step is checked.)
build_kernel() { # kdir
	local kdir=$1 x mdir kver root n deb rc
	[ -n "$EXTRACT_TMP" ] && rm -rf "$EXTRACT_TMP"
	EXTRACT_TMP=$(mktemp -d "$CACHE/tmp.XXXXXX") || return 1
	x=$EXTRACT_TMP
	for deb in "$kdir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$x/pkg" || { PREP_ERR="dpkg-deb -x ${deb##*/} failed"; return 1; }
	done
	mdir=$(find "$x/pkg/lib/modules" "$x/pkg/usr/lib/modules" -mindepth 1 \
		-maxdepth 1 -type d 2>/dev/null | head -1)
	[ -n "$mdir" ] || { PREP_ERR="no lib/modules/VERSION in the packages"; return 1; }
	kver=${mdir##*/}
	root=$x/initrd
	mkdir -p "$root/bin" "$root/dev" "$root/etc/vmtest" "$root/lib/modules/$kver"
	index_modules "$mdir"
	LOAD=()
	for n in "${BOOT_MODULES[@]}" "${TEST_MODULES[@]}" "${OPT_MODULES[@]}"; do
		[ -n "${BUILTIN[$n]:-}" ] && continue
		rc=0
		copy_module "$mdir" "$root/lib/modules/$kver" "$n" || rc=$?
		if [ $rc = 0 ]; then
			LOAD+=("$n")
		elif [ $rc = 2 ]; then
			PREP_ERR="cannot decompress module $n (or one it depends on)"
			return 1
		elif [[ " ${OPT_MODULES[*]} " != *" $n "* ]]; then
			PREP_ERR="kernel $kver has no $n (or a module it depends on), neither built in nor as a module: missing feature"
			return 1
		fi
	done
	cp "$mdir/modules.builtin" "$root/lib/modules/$kver/" 2>/dev/null || true
	if ! busybox depmod -b "$root" "$kver" ||
		! printf '%s\n' "${LOAD[@]}" >"$root/etc/vmtest/modules" ||
		! cp /bin/busybox "$root/bin/busybox" ||
		! install -m 755 vmtest/init "$root/init" ||
		! mknod "$root/dev/console" c 5 1 ||
		! (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) |
			gzip -1 >"$kdir/initrd.gz"; then
		PREP_ERR="cannot build the initramfs in $root"
		return 1
	fi
	if [ -f "$x/pkg/boot/vmlinuz-$kver" ]; then
		cp "$x/pkg/boot/vmlinuz-$kver" "$kdir/vmlinuz"
	elif [ -f "$mdir/vmlinuz" ]; then
		cp "$mdir/vmlinuz" "$kdir/vmlinuz"
	else
		false
	fi || {
		PREP_ERR="no vmlinuz for $kver in the packages"
		return 1
	}
	echo "$kver" >"$kdir/kver" || return 1
	rm -rf "$x"
	EXTRACT_TMP=
}

# apt-get download's file name for NAME=VERSION.
debfile() {
	local f="${1%%=*}_${1#*=}_amd64.deb"
	echo "${f//:/%3a}"
}

# Is FILE the package NAME=VERSION as the archive lists it (SHA256)?  A
# partial file (an interrupted download) is removed.
deb_ok() { # file name=version
	local sum
	[ -f "$1" ] || return 1
	sum=$(apt-cache "${APT[@]}" show "$2" 2>/dev/null | sed -n '/^$/q; s/^SHA256: //p')
	[ -n "$sum" ] && [ "$(sha256sum <"$1" | cut -d' ' -f1)" = "$sum" ] && return 0
	rm -f "$1"
	return 1
}

# Resolve, fetch and build what kernel NAME needs; cached under $CACHE.
# Sets KDIR, or PREP_ERR and returns 1.
prepare() { # name suites package
	local name=$1 suites=$2 pkg=$3 pkgs key kdir p f want=() fetch=()
	PREP_ERR=
	apt_setup "$name" "$suites" || return 1
	pkgs=$(closure "$pkg" | sort -u)
	if [ -z "$pkgs" ]; then
		PREP_ERR="no kernel package $pkg in $suites"
		return 1
	fi
	key=$(
		echo "$pkgs"
		echo "${BOOT_MODULES[*]} ${TEST_MODULES[*]} ${OPT_MODULES[*]}"
		dpkg-query -W -f='${Version}' busybox-static
		sha256sum vmtest/init
		declare -f build_kernel copy_module index_modules
	)
	key=$(echo "$key" | sha256sum | cut -c1-16)
	kdir=$CACHE/kernels/$name
	KDIR=$kdir
	if [ "$(cat "$kdir/key" 2>/dev/null)" = "$key" ]; then
		CACHED=1
		return 0
	fi
	CACHED=0
	rm -f "$kdir/key"
	mkdir -p "$kdir/debs"
	for p in $pkgs; do
		want+=("$(debfile "$p")")
		deb_ok "$kdir/debs/$(debfile "$p")" "$p" || fetch+=("$p")
	done
	for f in "$kdir"/debs/*.deb; do # older versions
		[ -e "$f" ] || continue
		[[ " ${want[*]} " == *" ${f##*/} "* ]] || rm -f "$f"
	done
	if [ ${#fetch[@]} -gt 0 ] &&
		! (cd "$kdir/debs" && apt-get "${APT[@]}" -qq download "${fetch[@]}") \
			>"$RUN_TMP/apt.log" 2>&1; then
		PREP_ERR="cannot download ${fetch[*]}: $(tail -1 "$RUN_TMP/apt.log")"
		return 1
	fi
	for p in $pkgs; do
		deb_ok "$kdir/debs/$(debfile "$p")" "$p" || {
			PREP_ERR="$(debfile "$p"): downloaded, but not what the archive lists"
			return 1
		}
	done
	build_kernel "$kdir" || return 1
	echo "$pkgs" >"$kdir/packages"
	echo "$key" >"$kdir/key"
}

# ---- running a kernel -------------------------------------------------
boot() { # kdir share -> rc of qemu (124: timed out)
	local kdir=$1 share=$2 rc=0 tailpid=
	: >"$share/console.log"
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -accel tcg -cpu max -m 2G \
		-smp 2 -nodefaults -display none -no-reboot -serial stdio \
		-kernel "$kdir/vmlinuz" -initrd "$kdir/initrd.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4 tsc=reliable xlb.repo=$REPO xlb.e2e=$E2E" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$share/out,mount_tag=xlbout,security_model=none" \
		</dev/null >>"$share/console.log" 2>&1 &
	QEMU_PID=$!
	if [ "${V:-}" = 1 ]; then
		tail -n +1 -f --pid="$QEMU_PID" "$share/console.log" &
		tailpid=$!
	fi
	wait "$QEMU_PID" || rc=$?
	QEMU_PID=
	[ -n "$tailpid" ] && { wait "$tailpid" 2>/dev/null || true; }
	return $rc
}

# "evidence" line of a missing feature in the logs, and its name.
missing_feature() { # files...
	local f re line
	for f in "${FEATURES[@]}"; do
		re=${f%|*}
		line=$(grep -hE -m1 "$re" "$@" 2>/dev/null | head -1) || true
		if [ -n "$line" ]; then
			FEATURE=${f##*|}
			FEATURE_LINE=$line
			return 0
		fi
	done
	return 1
}

# Lines of a log matching grep's arguments (or its last lines when none
# does), indented; never fails.
excerpt() { # max lines, grep arguments..., file
	local n=$1 out
	shift
	out=$(grep "$@" 2>/dev/null | head -n "$n") || true
	[ -n "$out" ] || out=$(tail -n "$n" "${@: -1}" 2>/dev/null) || true
	[ -n "$out" ] && echo "$out" | sed 's/^/    /'
	return 0
}

# Why a suite failed, in a few lines: the verifier's verdict when it
# rejected a program, and the failed checks or errors.
why_failed() { # log
	# The last two lines of the first verifier log (whole, as libbpf
	# prints it, or cut, as the agent does).
	awk '/-- BEGIN PROG LOAD LOG --/ { inlog = 1; next }
		inlog && /-- END PROG LOAD LOG --|^libbpf: |^xlb: / { exit }
		inlog && !/^processed [0-9]+ insns/ { last[n++] = $0 }
		END { for (i = n > 2 ? n - 2 : 0; i < n; i++)
			print "    verifier: " last[i] }' "$1"
	excerpt 8 -E '^ *FAIL|cannot|rror|failed to load' "$1"
}

# Check one finished guest; prints the kernel's line, sets RESULT.
verdict() { # name expect share seconds qemu_rc kver
	local name=$1 expect=$2 share=$3 secs=$4 qrc=$5 kver=$6 out=$3/out
	local parts=() why=() rc t n pass fail bad logs=() secs_e2e
	RESULT=PASS
	[ -f "$out/kernel" ] && kver=$(cat "$out/kernel")
	if [ -f "$out/bpf.rc" ]; then
		read -r rc t <"$out/bpf.rc"
		pass=$(sed -n 's/^bpf: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p' "$out/bpf.log" | tail -1)
		fail=$(sed -n 's/^bpf: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p' "$out/bpf.log" | tail -1)
		if grep -q 'cannot load the objects' "$out/bpf.log"; then
			parts+=("bpf: the objects do not load")
		elif [ -n "$pass" ]; then
			parts+=("bpf $pass/$((pass + fail))")
		else
			parts+=("bpf exit $rc")
		fi
		logs+=("$out/bpf.log")
		if [ "$rc" != 0 ]; then
			RESULT=FAIL
			why+=("  bpf suite failed (exit $rc):" "$(why_failed "$out/bpf.log")")
		fi
	else
		RESULT=FAIL
		parts+=("bpf did not run")
	fi
	for t in ${E2E//,/ }; do
		n=${t#test_}
		if [ -f "$out/e2e-$t.rc" ]; then
			read -r rc secs_e2e <"$out/e2e-$t.rc"
			[ -f "$out/e2e-$t.log" ] && logs+=("$out/e2e-$t.log")
			if [ "$rc" = 0 ]; then
				parts+=("e2e $n ok in $secs_e2e s")
			elif [ "$rc" = notrun ]; then
				RESULT=FAIL
				parts+=("e2e $n not run")
			else
				RESULT=FAIL
				[ "$rc" = 124 ] && parts+=("e2e $n timed out") || parts+=("e2e $n FAIL")
				why+=("  e2e $t failed (exit $rc):" "$(why_failed "$out/e2e-$t.log")")
			fi
		else
			RESULT=FAIL
			parts+=("e2e $n did not run")
		fi
	done
	# A test failure explained by a missing feature is a skip.
	if [ "$RESULT" = FAIL ] && [ ${#logs[@]} -gt 0 ] && missing_feature "${logs[@]}"; then
		RESULT=SKIP
		why=("    $FEATURE_LINE")
	fi
	if [ -f "$out/dmesg.txt" ]; then
		bad=$(grep -E "$DMESG_BAD" "$out/dmesg.txt" || true)
		if [ -n "$bad" ]; then
			RESULT=FAIL
			parts+=("dmesg: $(echo "$bad" | wc -l) WARN/BUG lines")
			why+=("  kernel log:" "$(excerpt 60 -E -A12 "$DMESG_BAD" "$out/dmesg.txt")")
		else
			parts+=("dmesg clean")
		fi
	else
		RESULT=FAIL
		parts+=("no dmesg")
	fi
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		RESULT=FAIL
		parts+=("guest timed out after $TIMEOUT s")
	elif ! grep -q '^XLB-VMTEST-END' "$share/console.log" 2>/dev/null; then
		RESULT=FAIL
		parts+=("guest did not finish (qemu exit $qrc)")
	fi
	if [ "$RESULT" = FAIL ] && [ ! -f "$out/bpf.rc" ]; then
		why+=("  guest console (last lines):" "$(tail -n 25 "$share/console.log" 2>&1 | sed 's/^/    /')")
	fi
	# What the list expects of this kernel.
	local note=
	if [ "$RESULT" = SKIP ] && [ "$expect" = pass ]; then
		RESULT=FAIL
		note=": lacks $FEATURE, but $LIST says it must pass (if xlb needs that now, raise the minimum kernel in README.md and mark this kernel skip)"
	elif [ "$RESULT" = SKIP ]; then
		note=": lacks $FEATURE, as $LIST expects"
	elif [ "$RESULT" = PASS ] && [ "$expect" = skip ]; then
		note=": passes, though $LIST expects a skip (the minimum kernel may be lower than README.md says)"
	fi
	local line p
	for p in "${parts[@]}"; do line+="$p, "; done
	say "$kver: $RESULT (${line}$secs s)$note"
	[ ${#why[@]} -gt 0 ] && printf '%s\n' "${why[@]}"
	return 0
}

# ---- main -------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || die "run as root (apt-get, qemu reading the host's /)"
[[ $REPO =~ ^[A-Za-z0-9/._+-]+$ ]] || die "$REPO: the repository path must have no spaces or odd characters (it goes on the kernel command line)"
case $REPO/ in /run/* | /proc/* | /sys/* | /dev/*) die "$REPO: the guest mounts its own /run, /proc, /sys and /dev: clone the repository elsewhere" ;; esac
for t in ${E2E//,/ }; do
	[ -f "tests/e2e/$t.sh" ] || die "VMTEST_E2E: no tests/e2e/$t.sh"
done
for f in build/xlb build/tests/test_bpf; do
	[ -x "$f" ] || die "$f is not built (make all build/tests/test_bpf; make vmtest does it)"
done
install_missing
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 3600 9 || die "$CACHE is locked by another vmtest run"
rm -rf "$CACHE"/tmp.* # left by a run that was killed
RUN_TMP=$(mktemp -d "$CACHE/tmp.run.XXXXXX")

only=" $* ${VMTEST_KERNELS:-} "
[ -z "${only// /}" ] && only=
for n in $only; do
	grep -q "^${n}[[:space:]]" "$LIST" || die "$n: no such kernel in $LIST"
done
npass=0 nfail=0 nskip=0 start_all=$(date +%s)
while read -r name suites pkg expect rest <&3; do
	[ -z "$name" ] || [[ $name == \#* ]] && continue
	[[ $name =~ ^[A-Za-z0-9._-]+$ ]] || die "$LIST: bad kernel name '$name'"
	expect=${expect:-pass}
	[[ $expect == pass || $expect == skip ]] || die "$LIST: $name: EXPECT must be pass or skip, not '$expect'"
	[ -n "$only" ] && [[ $only != *" $name "* ]] && continue
	t0=$(date +%s)
	if ! prepare "$name" "$suites" "$pkg"; then
		say "$name: FAIL (cannot prepare the kernel: $PREP_ERR)"
		nfail=$((nfail + 1))
		continue
	fi
	kver=$(cat "$KDIR/kver")
	t1=$(date +%s)
	how=cached
	[ "$CACHED" = 1 ] || how="fetched and built in $((t1 - t0)) s"
	say "$name: $kver, Debian $(head -1 "$KDIR/packages" | cut -d= -f2) from $suites ($how); booting"
	share=$RUN_TMP/$name
	mkdir -p "$share/out"
	qrc=0
	boot "$KDIR" "$share" || qrc=$?
	verdict "$name" "$expect" "$share" "$(($(date +%s) - t1))" "$qrc" "$kver"
	case $RESULT in
	PASS) npass=$((npass + 1)) ;;
	SKIP) nskip=$((nskip + 1)) ;;
	*) nfail=$((nfail + 1)) ;;
	esac
	if [ -n "${VMTEST_LOGS:-}" ]; then
		mkdir -p "$VMTEST_LOGS/$name"
		cp -r "$share/console.log" "$share/out/." "$VMTEST_LOGS/$name/"
	fi
	rm -rf "$share"
done 3<"$LIST"
say "host $(uname -r): not booted here; \`make test\` covers it"
say "$((npass + nfail + nskip)) kernels in $(($(date +%s) - start_all)) s, cache in $CACHE"
echo "vmtest: $npass passed, $nfail failed, $nskip skipped"
[ $nfail -eq 0 ]
