#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The kernel matrix: boot other kernels in qemu and run tracerhub's checks in each
# (tests/kernels/check.sh: doctor, the tests of tests/kernels/subset, the cost microbenchmark).
#
# Usage: tests/kernels/run.sh [--jobs N] [--docs FILE] [KVER...]
#   KVER  6.1, 6.12: the newest Debian kernel package of that line (apt-get download, cached
#         under $BUILD/kernels); a package's release such as 6.1.0-57-amd64; or host: this
#         kernel, checked without a guest. Default: 6.1 6.12.
#   --jobs N     guests (and host) at a time (default 2)
#   --docs FILE  write the per-kernel table between FILE's "kernel-table" markers
#   --run CMD    run the shell command CMD (as root, in the worktree) in each guest instead of
#                the checks, and print what it printed: e.g. --run 'build/tracerhub bio -v 1 1'
# Each guest has 2 vCPUs and 2 GiB, the host's root read-only over virtio-9p with a tmpfs
# overlay, and runs this worktree's build; KVM when the CPU offers it and it boots, else TCG.
# Prints one line per kernel and ends with "N passed, N failed, N skipped" (over the tests of
# every kernel); exits 1 when anything failed. With RESULTS set (tests/run.sh), adds to it.
# Each kernel's console, doctor, test log and benchmark stay in $BUILD/kernels/results/KVER
# (those of --run in $BUILD/kernels/run-results/KVER).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
export BUILD=${BUILD:-build}
JOBS=2 # a TCG guest keeps one host CPU busy (its vCPUs share a thread), and waits much
DOCS=
CMD=
KVERS=()
BOOT_KVM_S=60	  # a KVM guest that has not booted by then is retried under TCG
TIMEOUT_S=2700	  # a guest still running after 45 minutes is stopped and counted failed

usage() { sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "kernels: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--jobs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--jobs takes a positive number"; JOBS=$2; shift ;;
	--docs) [ -n "${2:-}" ] || die "--docs takes a file"; DOCS=$2; shift ;;
	--run) [ -n "${2:-}" ] || die "--run takes a command"; CMD=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) KVERS+=("$1") ;;
	esac
	shift
done
[ ${#KVERS[@]} -gt 0 ] || KVERS=(6.1 6.12)
[ -x "$BUILD/tracerhub" ] && [ -d "$BUILD/helpers" ] ||
	die "$BUILD/tracerhub or $BUILD/helpers missing: run make test-kernels"
CACHE=$(cd "$BUILD" && pwd)/kernels
mkdir -p "$CACHE"
# The guests run a copy of the build, so that a rebuild meanwhile does not change it under them.
SNAP=$CACHE/${CMD:+run-}build
rm -rf "$SNAP"
mkdir -p "$SNAP"
cp -r "$BUILD/tracerhub" "$BUILD/helpers" "$SNAP/"
[ -d "$BUILD/bench" ] && cp -r "$BUILD/bench" "$SNAP/"
RUN_DIR=$CACHE/${CMD:+run-}results # each kernel's outputs, kept until the next run
rm -rf "$RUN_DIR"
mkdir -p "$RUN_DIR"

# The newest package of Debian's kernel line $1 (6.1, 6.12) or of release $1, from apt's lists.
find_package() {
	local re
	if [[ $1 =~ ^[0-9]+\.[0-9]+$ ]]; then
		re="^linux-image-${1//./\\.}([.-][0-9]+)*(\\+deb[0-9]+)?-amd64(-unsigned)?\$"
	else
		re="^linux-image-${1//./\\.}(-unsigned)?\$"
	fi
	apt-cache pkgnames linux-image- 2>/dev/null | grep -E "$re" | sort -V | tail -1
}

# Fetch and unpack package $1 into $CACHE/$1 (once): the kernel, its modules with busybox's
# modules.dep, and the initramfs. Prints the directory.
fetch_kernel() {
	local pkg=$1 dir=$CACHE/$1 tmp krel
	if [ ! -f "$dir/ready" ]; then
		rm -rf "$dir"
		tmp=$(mktemp -d "$CACHE/fetch.XXXXXX")
		(cd "$tmp" && apt-get download -q -o APT::Sandbox::User="$(id -un)" "$pkg") \
			>"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; rm -rf "$tmp"; return 1; }
		mkdir -p "$tmp/root"
		dpkg-deb -x "$tmp"/*.deb "$tmp/root" || { rm -rf "$tmp"; return 1; }
		rm -f "$tmp"/*.deb
		krel=$(ls "$tmp/root/lib/modules")
		busybox depmod -b "$tmp/root" "$krel" || { rm -rf "$tmp"; return 1; }
		make_initramfs "$tmp/root" "$krel" "$tmp/initramfs.cpio" || { rm -rf "$tmp"; return 1; }
		echo "$krel" >"$tmp/ready"
		mv "$tmp" "$dir"
	fi
	echo "$dir"
}

# The initramfs of unpacked kernel $1 (release $2) into $3: busybox, tests/kernels/init, and
# the modules that mount the host's root (those built in are not there, and need not be).
make_initramfs() {
	local root=$1 krel=$2 cpio=$3 stage mods dep m f
	stage=$(mktemp -d)
	mods=lib/modules/$krel
	mkdir -p "$stage/bin" "$stage/$mods" "$stage/proc" "$stage/sys" "$stage/dev"
	cp /bin/busybox "$stage/bin/busybox"
	install -m 0755 tests/kernels/init "$stage/init"
	dep=$root/$mods/modules.dep
	cp "$dep" "$stage/$mods/"
	for m in virtio_pci 9pnet_virtio 9p overlay; do
		# the module's own file and those it depends on
		for f in $(sed -n "s|^\([^:]*/$m\.ko[.a-z]*\):\(.*\)|\1 \2|p" "$dep"); do
			mkdir -p "$stage/$mods/$(dirname "$f")"
			cp "$root/$mods/$f" "$stage/$mods/$f"
		done
	done
	(cd "$stage" && find . | busybox cpio -o -H newc 2>/dev/null) >"$cpio"
	local rc=$?
	rm -rf "$stage"
	return $rc
}

# True when KVM may be tried: /dev/kvm usable and a CPU with virtualisation extensions.
kvm_usable() {
	[ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qE '^flags.* (vmx|svm)( |$)' /proc/cpuinfo
}

# Boot kernel directory $1 with accelerator $2, results into $3 (the guest's share "out").
# Returns 0 when the guest finished its checks, 3 when a KVM guest did not boot in time.
boot() {
	local dir=$1 accel=$2 out=$3 krel accel_opts cpu scale qpid waited=0 limit=$TIMEOUT_S
	krel=$(cat "$dir/ready")
	# TCG emulates the CPU: tens of times slower, timeouts of the tests 10 times longer. Its
	# vCPUs run in one thread: with a thread each, a vCPU sometimes ran code the other had just
	# patched (a tracepoint's static key: attach, detach) and the guest died (a stray int3 in
	# syscall_trace_enter on 6.12, a soft lockup on 6.1).
	[ "$accel" = kvm ] && accel_opts=kvm cpu=host scale=2 ||
		accel_opts=tcg,thread=single cpu=max scale=10
	nice -n 10 qemu-system-x86_64 -nodefaults -display none -no-reboot \
		-accel "$accel_opts" -cpu "$cpu" -smp 2 -m 2048 \
		-kernel "$dir/root/boot/vmlinuz-$krel" -initrd "$dir/initramfs.cpio" \
		-append "console=ttyS0 panic=-1 quiet th_dir=$ROOT th_build=$SNAP th_mods=$dir/root/lib/modules/$krel th_scale=$scale" \
		-serial "file:$out/console" \
		-virtfs local,path=/,mount_tag=host,readonly=on,multidevs=remap,security_model=none \
		-virtfs "local,path=$out,mount_tag=out,security_model=none" \
		>"$out/qemu.log" 2>&1 &
	qpid=$!
	while kill -0 $qpid 2>/dev/null; do
		if [ "$accel" = kvm ] && [ $waited -ge $BOOT_KVM_S ] && [ ! -f "$out/booted" ]; then
			kill $qpid
			wait $qpid 2>/dev/null
			return 3
		fi
		if [ $waited -ge $limit ]; then
			echo "stopped after $limit s" >"$out/timeout"
			kill $qpid
			break
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait $qpid 2>/dev/null
	echo $waited >"$out/seconds"
	[ -f "$out/done" ]
}

# Check kernel $1 (a KVER); writes $RUN_DIR/$1/{line,results}.
check_kernel() {
	local kver=$1 out=$RUN_DIR/$1 pkg dir accel=tcg rc start=$SECONDS
	mkdir -p "$out"
	[ -n "$CMD" ] && echo "$CMD" >"$out/cmd"
	if [ "$kver" = host ]; then
		if [ "$(id -u)" -ne 0 ]; then
			echo "host: skipped (needs root)" >"$out/line"
			echo SKIP >"$out/results"
			return
		fi
		if [ -n "$CMD" ]; then
			bash "$out/cmd" >"$out/log" 2>&1
			echo $? >"$out/done"
		else
			BUILD=$SNAP tests/kernels/check.sh "$out"
		fi
		echo "$(uname -r) (host)" >"$out/name"
	else
		pkg=$(find_package "$kver")
		if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
			apt-get update -qq >/dev/null 2>&1
			pkg=$(find_package "$kver")
		fi
		if [ -z "$pkg" ]; then
			echo "$kver: skipped (no package linux-image-$kver*-amd64 in apt's lists: 6.12's" \
				"come from bookworm-security or bookworm-backports)" >"$out/line"
			echo SKIP >"$out/results"
			return
		fi
		if ! dir=$(fetch_kernel "$pkg"); then
			echo "$kver: FAIL (cannot fetch or unpack $pkg)" >"$out/line"
			echo FAIL >"$out/results"
			return
		fi
		if kvm_usable; then
			accel=kvm
			boot "$dir" kvm "$out"
			rc=$?
			if [ $rc -eq 3 ]; then
				rm -f "$out"/*
				accel=tcg
			fi
		fi
		[ "$accel" = tcg ] && boot "$dir" tcg "$out"
		echo "$(cat "$dir/ready") ($accel)" >"$out/name"
	fi
	summarize "$out" $((SECONDS - start))
}

# Write $1/line, the kernel's one line, from its results.
summarize() {
	local out=$1 secs=$2 p f s why=
	if [ -n "$CMD" ]; then
		echo "$(cat "$out/name"): --run exited $(cat "$out/done" 2>/dev/null || echo '(did not finish)') in $secs s" >"$out/line"
		[ "$(cat "$out/done" 2>/dev/null)" = 0 ] && echo OK >"$out/results" || echo FAIL >"$out/results"
		return
	fi
	if [ ! -f "$out/done" ]; then
		why=$( [ -f "$out/timeout" ] && cat "$out/timeout" || echo "the guest did not finish")
		echo FAIL >>"$out/results"
	fi
	p=$(grep -c '^OK$' "$out/results" 2>/dev/null)
	f=$(grep -c '^FAIL$' "$out/results" 2>/dev/null)
	s=$(grep -c '^SKIP$' "$out/results" 2>/dev/null)
	echo "$(cat "$out/name"): $p passed, $f failed, $s skipped in $secs s${why:+ ($why)}" >"$out/line"
}

# Check every KVER, $JOBS at a time, then print the lines, the table and the total.
run_all() {
	local running=0 k out total p f s
	for k in "${KVERS[@]}"; do
		check_kernel "$k" &
		running=$((running + 1))
		if [ $running -ge "$JOBS" ]; then
			wait -n
			running=$((running - 1))
		fi
	done
	wait

	total=$(mktemp)
	for k in "${KVERS[@]}"; do
		out=$RUN_DIR/$k
		cat "$out/line"
		[ -n "$CMD" ] && sed 's/^/    /' "$out/log"
		grep -h ':FAIL' -A 40 "$out/tests" 2>/dev/null | sed 's/^/    /'
		[ -f "$out/done" ] || tail -20 "$out/console" 2>/dev/null | sed 's/^/    console: /'
		cat "$out/results" >>"$total"
		[ -n "${RESULTS:-}" ] && cat "$out/results" >>"$RESULTS"
	done
	if [ -n "$DOCS" ]; then
		tests/kernels/table.sh "$DOCS" "${KVERS[@]/#/$RUN_DIR/}" || echo FAIL >>"$total"
	fi
	p=$(grep -c '^OK$' "$total")
	f=$(grep -c '^FAIL$' "$total")
	s=$(grep -c '^SKIP$' "$total")
	rm -f "$total"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" -eq 0 ]
}

# The whole file is read before anything runs: a change to it meanwhile (git) changes nothing.
run_all
exit
