# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The tracepoints `tracerhub top` keeps attached throughout on this kernel (not those attached
# only in sampling windows), from tracerhub itself: an empty program on each is top's own
# floor, what any configuration holding those hooks costs before a handler runs.
TOP_HOOKS=$("$TH" top --list-hooks 2>/dev/null | awk 'NF == 1' | tr '\n' ' ')
[ -n "$TOP_HOOKS" ] ||
	echo "bench: tracerhub top --list-hooks printed nothing (built? root?)" >&2
