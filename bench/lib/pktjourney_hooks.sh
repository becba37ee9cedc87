# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The tracepoints `tracerhub pktjourney` attaches on this kernel, from tracerhub itself (so the
# list cannot go stale), for the floor variant of the pktjourney cases: an empty program on each.
PJ_HOOKS=$("$TH" pktjourney --list-hooks 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ')
[ -n "$PJ_HOOKS" ] ||
	echo "bench: tracerhub pktjourney --list-hooks printed nothing (built? root?)" >&2
