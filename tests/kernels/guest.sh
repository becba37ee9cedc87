#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The kernel matrix, inside the guest (started by tests/kernels/init as pid 1, on the host's
# root under an overlay): mount what a booted system has, make the kernel's modules loadable,
# then run tests/kernels/check.sh (or the command of run.sh --run) with its results on the
# host's share "out", and power off. The kernel hands us th_dir (the worktree), th_build,
# th_mods (the unpacked kernel's /lib/modules/RELEASE) and th_scale (how much slower than the
# host the tests' timeouts are to allow for: tests/lib.sh) from its command line.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=linux
export LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
ln -s /proc/self/fd /dev/fd # bash's process substitution
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
# /tmp stays the overlay's (writable, in the guest's memory): a tmpfs there would hide a
# worktree under the host's /tmp, such as a fresh clone CI made there.
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t bpf bpf /sys/fs/bpf
mount -t debugfs debugfs /sys/kernel/debug
hostname th-guest
ip link set lo up

# The kernel loads modules (veth, loop, ...) with modprobe from this package's modules, by
# busybox (depmod ran on the host: tests/kernels/run.sh).
mkdir -p /run/th "/lib/modules/$(uname -r)"
mount --bind "$th_mods" "/lib/modules/$(uname -r)"
ln -s /bin/busybox /run/th/modprobe
echo /run/th/modprobe >/proc/sys/kernel/modprobe
for m in loop veth; do
	/run/th/modprobe "$m" 2>/dev/null
done

mkdir -p /run/th/out
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 out /run/th/out; then
	echo booted >/run/th/out/booted
	cd "$th_dir" || exit
	export BUILD=$th_build T_SCALE=$th_scale
	if [ -f /run/th/out/cmd ]; then # run.sh --run CMD
		bash /run/th/out/cmd >/run/th/out/log 2>&1
		echo $? >/run/th/out/done
	else
		bash tests/kernels/check.sh /run/th/out >/run/th/out/log 2>&1
	fi
	sync
else
	echo "th-guest: cannot mount the results share"
fi
echo o >/proc/sysrq-trigger
sleep 60
