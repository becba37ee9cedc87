# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Block IO: fio random 4 KiB direct reads, one at a time, on a loop device over a file in a
# temp dir (two block_rq tracepoints per request: issue, complete). The floor is an empty
# raw_tp program on block_rq_complete; the peer is libbpf-tools' biolatency (issue and
# complete, a hash of start times).
CASE_TITLE='block IO: fio 4 KiB random direct reads on a loop device'
CASE_UNIT='IOPS'
CASE_QUICK=1
CASE_VARIANTS=(
	'baseline|'
	'tracerhub top (every tracer, as make run starts it)|$TH top -j 1'
	'floor: empty raw_tp on block_rq_complete|$TOOLS/floor block_rq_complete'
	'tracerhub bio|$TH bio -j 1'
	'biolatency (libbpf-tools)|/usr/sbin/biolatency 1'
)

case_setup() {
	command -v fio >/dev/null || { echo "bio: fio missing (scripts/deps.sh bench)" >&2; return 2; }
	BIO_DIR=$(mktemp -d) || return 1
	truncate -s 256M "$BIO_DIR/disk.img" || return 1
	BIO_LOOP=$(losetup -f --show "$BIO_DIR/disk.img") ||
		{ echo "bio: no loop device" >&2; rm -rf "$BIO_DIR"; return 2; }
}

case_teardown() {
	losetup -d "$BIO_LOOP"
	rm -rf "$BIO_DIR"
}

case_run() {
	fio --name=bench --filename="$BIO_LOOP" --rw=randread --bs=4k --direct=1 --ioengine=psync \
		--time_based --runtime="$((QUICK ? 1 : 3))" --output-format=json |
		jq '.jobs[0].read.iops | floor'
}
