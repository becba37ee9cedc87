#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `tracerhub top` driven in a detached tmux: a workload we start shows up with its rate;
# sort, filter, panels, pause, interval and resize change the screen as they should;
# columns scroll and an off-screen column sorts; the detail view shows a workload's exact
# counts; the tree puts a child under its parent (also in a replay, from the recording);
# search jumps to a process and to the next; F9 sends a signal; the column chooser
# is saved; a replay seeks to known intervals and stays on the last; q, F10, Ctrl-C and
# SIGTERM restore the terminal without attach messages on it; NO_COLOR; no terminal, text.
. "$(dirname "$0")/../lib.sh"

RATE=20000 # reads per second of the workload

# Start a private tmux server (its own socket, killed when the test ends) with a shell,
# $1 x $2 characters (default 120x40).
tmux_up() {
	need_root || return
	command -v tmux >/dev/null || skip "tmux missing (scripts/deps.sh test installs it)" || return
	SOCK=th_tui_$$_$RANDOM
	trap 'tmux -L "$SOCK" kill-server 2>/dev/null' EXIT
	THX=$(realpath "$TH")
	tmux -L "$SOCK" -f /dev/null new-session -d -s m -x "${1:-120}" -y "${2:-40}" \
		"env PS1='TUIPROMPT\$ ' bash --norc --noprofile" || fail "tmux new-session" || return 1
	tmx set-option -t m -g status off >/dev/null
	wait_screen 'TUIPROMPT\$' 10 || return 1
	type_line "stty -g >$T_TMP/stty.before"
}

tmx() { tmux -L "$SOCK" "$@"; }
type_line() { tmx send-keys -t m -l "$1" && tmx send-keys -t m Enter; }
screen() { tmx capture-pane -p -t m; }

# Wait until the screen shows pattern $1 (ERE; up to $2 seconds, default 10).
wait_screen() {
	local pat=$1 t=${2:-10} i
	for ((i = 0; i < t * 10; i++)); do
		screen >"$T_TMP/screen" 2>/dev/null
		grep -Eq -- "$pat" "$T_TMP/screen" && return 0
		sleep 0.1
	done
	echo "    timed out waiting for '$pat' on the screen:" >&2
	sed 's/^/      |/' "$T_TMP/screen" >&2
	return 1
}

# Run the paced workload as NAME (a copy of the helper: exec names the process) for $2 s,
# after file $3 exists when given.
# Pinned to CPU 0: tracers rename a process on exec in the per-CPU copy of the CPU that ran
# the exec, and the name is read from the first CPU that has one.
workload() {
	cp "$HELPERS/tui_workload" "$T_TMP/$1" && exec taskset -c 0 "$T_TMP/$1" $RATE "${@:2}"
}

# top_start ENV ARGS...: start `ENV tracerhub top ARGS` in the pane (every tracer without
# ARGS); after it ends the pane records its exit code and terminal settings.
top_start() {
	local envs=$1
	shift
	rm -f "$T_TMP/exit"
	type_line "$envs $THX top $*; echo EXIT=\$? >$T_TMP/exit; stty -g >$T_TMP/stty.after"
	wait_screen 'PID +COMM' 20 || return 1
	[ "$(tmx display -p -t m '#{alternate_on}')" = 1 ] || fail "not on the alternate screen"
}

# It exited 0 and left the terminal as it found it: main screen, prompt, same stty.
check_restored() {
	local i
	for ((i = 0; i < 100; i++)); do [ -s "$T_TMP/exit" ] && break; sleep 0.1; done
	[ -s "$T_TMP/exit" ] || fail "tracerhub did not exit" || return 1
	grep -q '^EXIT=0$' "$T_TMP/exit" || fail "exit: $(cat "$T_TMP/exit")" || return 1
	wait_screen 'TUIPROMPT\$ *$' 5 || return 1
	[ "$(tmx display -p -t m '#{alternate_on}')" = 0 ] || fail "still on the alternate screen" ||
		return 1
	for ((i = 0; i < 50; i++)); do [ -s "$T_TMP/stty.after" ] && break; sleep 0.1; done
	cmp -s "$T_TMP/stty.before" "$T_TMP/stty.after" ||
		fail "terminal modes differ after exit: $(cat "$T_TMP/stty.before") vs $(cat "$T_TMP/stty.after")" ||
		return 1
	# what tracerhub said meanwhile was for the Log panel, not for the terminal after exit
	! grep -q 'tracerhub: ready:' "$T_TMP/screen" || fail "attach messages dumped after exit"
}

# Value of column $2 (header text) in the row of pid $1 on the current screen, in units:
# K/M/G and KiB/MiB are expanded to a plain number.
cell_of() {
	awk -v pid="$1" -v col="$2" '
		$1 == "PID" && $2 ~ /COMM$/ {
			for (i = 1; i <= NF; i++) {
				f = $i
				sub(/^(\342\226\274|\342\226\262|v|\^)/, "", f) # the sort arrow
				if (f == col) c = i
			}
		}
		c && $1 == pid { v = $c; print v; exit }' "$T_TMP/screen" |
		sed -E 's/KiB$/*1024/; s/MiB$/*1048576/; s/B$//; s/K$/*1000/; s/M$/*1000000/' |
		sed -E 's/^([0-9.]+)$/\1*1/' | awk -F'*' 'NF == 2 { printf "%d\n", $1 * $2 }'
}

# near N X: X is within 10% of N.
near() { [ -n "$2" ] && [ "$2" -ge $(($1 * 9 / 10)) ] && [ "$2" -le $(($1 * 11 / 10)) ]; }

# Wait until the row of pid $1 shows a steady interval of the workload: READS/s and
# READ_B/s (1-byte reads: 20000 B/s is shown as 20KiB) both within 10% of RATE. The first
# interval also holds the loader's reads of the program, so it may take two.
wait_rate() {
	local pid=$1 i r b
	for ((i = 0; i < 80; i++)); do
		screen >"$T_TMP/screen"
		r=$(cell_of "$pid" READS/s)
		b=$(cell_of "$pid" READ_B/s)
		near $RATE "$r" && near $RATE "$b" && return 0
		sleep 0.1
	done
	fail "row of pid $pid never showed READS/s and READ_B/s near $RATE (last '$r', '$b'):"
	sed 's/^/      |/' "$T_TMP/screen" >&2
	return 1
}

# Keys and what the screen shows after them: steps SECONDS KEYS PATTERN [KEYS PATTERN]...
# sends each KEYS (tmux key names, split at spaces) and waits up to SECONDS for its PATTERN.
steps() {
	local t=$1
	shift
	while [ $# -ge 2 ]; do
		# shellcheck disable=SC2086 # KEYS is a list of key names
		tmx send-keys -t m $1
		wait_screen "$2" "$t" || return 1
		shift 2
	done
}

# tmux_up, then top with tracers $1 and the paced workload as $2 for $3 s (after file $4 when
# given); sets WPID.
top_with_workload() {
	tmux_up || return
	top_start "" $1 || return 1
	workload "${@:2}" &
	WPID=$!
}

# F4: show only the rows matching $1.
filter_rows() {
	tmx send-keys -t m F4
	tmx send-keys -t m -l "$1"
	tmx send-keys -t m Enter
}

# Quit with key $1 (default q), check the terminal is restored, ready for the next top_start.
quit_restored() {
	tmx send-keys -t m "${1:-q}"
	check_restored || return 1
	rm -f "$T_TMP/stty.after"
}

test_tui_workload_row_and_quit() {
	local name=thtui$$ wpid v
	# syscalls and io rename a process on exec: the row carries the workload's name
	top_with_workload "syscalls io" "$name" 8 || return 1
	wpid=$WPID
	wait_rate $wpid || return 1
	grep -Eq "^ *$wpid +$name " "$T_TMP/screen" ||
		fail "comm $name not on its row: $(grep -E "^ *$wpid " "$T_TMP/screen")" || return 1
	v=$(cell_of $wpid SYSCALLS/s)
	[ "$v" -ge $((RATE * 9 / 10)) ] || fail "SYSCALLS/s $v below READS/s" || return 1
	grep -Eq ' read [0-9.]+[KMG]?/s [0-9.]+(B|KiB|MiB|GiB)/s' "$T_TMP/screen" ||
		fail "header totals missing" || return 1
	grep -Eq 'self: cpu [0-9.]+%' "$T_TMP/screen" || fail "self cost missing" || return 1
	# the attach messages are in the Log panel
	tmx send-keys -t m 5
	wait_screen '^ +ready: [0-9]+ tracer' 3 || return 1
	tmx send-keys -t m q
	check_restored
}

test_tui_keys_sort_filter_panels() {
	local name=thkey$$ wpid rows before
	top_with_workload "syscalls io" "$name" 20 || return 1
	wpid=$WPID
	wait_rate $wpid || return 1
	grep -q 'sort: SYSCALLS/s (descending)' "$T_TMP/screen" || fail "default sort" || return 1
	grep -Eq '(▼|v)SYSCALLS/s' "$T_TMP/screen" || fail "no arrow on the sort column" || return 1
	steps 3 '>' 'sort: READ_B/s \(descending\)' F6 'sort: WRITE_B/s \(descending\)' \
		'<' 'sort: READ_B/s \(descending\)' i 'sort: READ_B/s \(ascending\)' || return 1
	grep -Eq '(▲|\^)READ_B/s' "$T_TMP/screen" || fail "no up arrow when ascending" || return 1
	tmx send-keys -t m i
	# filter (F4): only the workload's row is left; a second filter starts empty
	tmx send-keys -t m -l '\'
	tmx send-keys -t m -l "zzz"
	tmx send-keys -t m Enter
	wait_screen 'filter: zzz' 3 || return 1
	filter_rows "$name"
	wait_screen ', 1 shown' 3 || return 1
	rows=$(awk '/PID +(▼|v)?COMM/ { on = 1; next } on && $1 ~ /^[0-9]+$/' "$T_TMP/screen")
	[ "$(echo "$rows" | wc -l)" -eq 1 ] && echo "$rows" | grep -q "^ *$wpid $name" ||
		fail "filtered rows: $rows" || return 1
	tmx send-keys -t m Escape
	wait_screen 'sort: READ_B/s \(descending\) *$' 3 || return 1
	# panels: 6 is the syscalls table, 5 the log, 4 health, 2 histograms, Tab wraps
	steps 3 6 '^ syscall +(▼|v)?count/s' || return 1
	grep -Eq '^ read +[0-9.]+[KM]( |$)' "$T_TMP/screen" || fail "no read row in the syscalls panel" ||
		return 1
	steps 3 4 '^ syscalls +(tp_btf|raw_tp|tracepoint) +[0-9]+ ' || return 1
	grep -Eq '^ io +(tp_btf|raw_tp|tracepoint) ' "$T_TMP/screen" || fail "io health" || return 1
	steps 3 2 'histograms since start' '1 BTab' '^ syscall +(▼|v)?count/s' \
		Tab 'PID +COMM +SYSCALLS/s' || return 1
	# interval and pause
	steps 3 + 'interval 2.00s' p 'PAUSED' || return 1
	before=$(head -1 "$T_TMP/screen")
	sleep 2.5
	[ "$(screen | head -1)" = "$before" ] || fail "the header moved while paused" || return 1
	tmx send-keys -t m p
	wait_screen 'interval 2.00s  [0-9]+ processes *h help' 5 || return 1
	# help (F1) opens and any key closes it
	tmx send-keys -t m F1
	wait_screen 'tracerhub top keys' 3 || return 1
	tmx send-keys -t m x
	! wait_screen 'tracerhub top keys' 1 2>/dev/null || fail "help did not close" || return 1
	tmx send-keys -t m q
	check_restored
}

test_tui_resize_80x24() {
	tmux_up || return
	top_start "" syscalls io || return 1
	wait_screen 'OPENS/s' 5 || return 1
	tmx resize-window -t m -x 80 -y 24
	wait_screen 'ERRORS/s *$' 5 || return 1
	! grep -q 'URING/s' "$T_TMP/screen" || fail "80 columns still show URING/s" || return 1
	[ "$(wc -l <"$T_TMP/screen")" -le 24 ] || fail "more than 24 lines" || return 1
	# the footer: key hints, or for 5 s the last message (the "ready:" line)
	tail -1 "$T_TMP/screen" | grep -Eq 'q quit|ready:' || fail "footer not on the last line" ||
		return 1
	[ "$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/screen")" -le 80 ] || fail "a line is wider than 80" || return 1
	tmx resize-window -t m -x 200 -y 50
	wait_screen 'URING/s' 5 || return 1
	awk 'length > 200 { exit 1 }' "$T_TMP/screen" || fail "a line is wider than 200" || return 1
	wait_screen 'F1 help +F2 columns .* F10 quit *$' 6 || return 1
	tmx send-keys -t m q
	check_restored
}

test_tui_f10_ctrl_c_and_sigterm() {
	local pid
	tmux_up || return
	top_start "" || return 1
	quit_restored F10 || return 1
	tmx send-keys -t m C-l
	top_start "" || return 1
	quit_restored C-c || return 1
	tmx send-keys -t m C-l
	top_start "" || return 1
	pid=$(pgrep -P "$(tmx display -p -t m '#{pane_pid}')" -x tracerhub)
	[ -n "$pid" ] || fail "no tracerhub process under the pane" || return 1
	kill -TERM "$pid"
	check_restored
}

test_tui_no_color() {
	tmux_up || return
	top_start "env -u NO_COLOR" syscalls || return 1
	tmx capture-pane -e -p -t m >"$T_TMP/esc"
	grep -Eq $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+)m' "$T_TMP/esc" ||
		fail "no colours without NO_COLOR" || return 1
	quit_restored || return 1
	top_start "NO_COLOR=1" syscalls || return 1
	tmx capture-pane -e -p -t m >"$T_TMP/esc"
	! grep -Eq $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+)m' "$T_TMP/esc" ||
		fail "colours with NO_COLOR: $(grep -Eo $'\e\\[[0-9;]*m' "$T_TMP/esc" | sort -u | tr '\n' ' ')" ||
		return 1
	grep -Eq $'\e\\[[0-9;]*7[0-9;]*m' "$T_TMP/esc" || fail "no reverse video either" || return 1
	tmx send-keys -t m q
	check_restored
}

test_tui_without_terminal_text_view() {
	need_root || return
	"$TH" top syscalls 0.3 2 </dev/null >"$T_TMP/out" 2>"$T_TMP/err" ||
		fail "top without a terminal: $(cat "$T_TMP/err")" || return 1
	grep -q 'stdout is not a terminal: text view' "$T_TMP/err" || fail "no notice: $(cat "$T_TMP/err")" ||
		return 1
	grep -q 'SYSCALLS/s' "$T_TMP/out" || fail "no text table" || return 1
	"$TH" top syscalls -j 0.3 1 >"$T_TMP/out" 2>"$T_TMP/err" || fail "top -j" || return 1
	! grep -q 'text view' "$T_TMP/err" || fail "JSON asked for: no notice expected" || return 1
	jq -e '.procs' "$T_TMP/out" >/dev/null || fail "not JSON"
}

# The first metric column's header on the screen.
first_col() { awk '$1 == "PID" && $2 ~ /COMM$/ { print $3; exit }' "$T_TMP/screen"; }

test_tui_scroll_offscreen_sort_help_80x24() {
	tmux_up 80 24 || return
	top_start "" syscalls io || return 1
	wait_screen 'ERRORS/s *$' 5 || return 1
	! grep -q 'URING/s' "$T_TMP/screen" || fail "URING/s fits 80 columns?" || return 1
	[ "$(first_col)" = "▼SYSCALLS/s" ] || [ "$(first_col)" = "vSYSCALLS/s" ] ||
		fail "first column $(first_col)" || return 1
	# Right scrolls the metric columns; PID and COMM stay
	steps 3 Right 'PID COMM +READ_B/s' 'Right Right Right Right Right Right' 'URING/s *$' \
		'Home Left Left Left Left Left Left Left' 'PID COMM +(▼|v)SYSCALLS/s' || return 1
	# sorting by a column that is off screen brings it in: < walks SYSCALLS, COMM, PID, URING
	steps 3 '< < <' 'sort: URING/s \(descending\)' || return 1
	grep -Eq '(▼|v)URING/s' "$T_TMP/screen" || fail "URING/s not on screen when sorted" ||
		return 1
	[ "$(LC_ALL=C.UTF-8 wc -L <"$T_TMP/screen")" -le 80 ] || fail "a line is wider than 80" || return 1
	# the help fits 80x24 and scrolls
	tmx send-keys -t m F1
	wait_screen 'more: Down' 3 || return 1
	[ "$(wc -l <"$T_TMP/screen")" -le 24 ] || fail "help: more than 24 lines" || return 1
	awk 'length > 80 { exit 1 }' "$T_TMP/screen" || fail "help wider than 80" || return 1
	tmx send-keys -t m NPage NPage
	wait_screen 'NO_MOUSE=1 turns it off' 3 || return 1
	tmx send-keys -t m Escape
	tmx send-keys -t m F10
	check_restored
}

# The detail view of a workload that does exactly 20000 reads/s for 2 s once its gate opens.
test_tui_detail_exact_counts() {
	local name=thdet$$ wpid row i
	top_with_workload "syscalls io" "$name" 2 "$T_TMP/gate" || return 1
	wpid=$WPID
	filter_rows "$name"
	wait_screen "^ *$wpid $name " 10 || return 1
	# open it after whole intervals of waiting at the gate (the execs' own reads are before)
	sleep 2
	for ((i = 0; i < 30; i++)); do
		screen >"$T_TMP/screen"
		[ "$(cell_of "$wpid" READS/s)" = 0 ] && break
		sleep 0.1
	done
	[ "$(cell_of "$wpid" READS/s)" = 0 ] || fail "no interval without reads at the gate: $(cat "$T_TMP/screen")" ||
		return 1
	tmx send-keys -t m Enter
	wait_screen "Process $wpid $name +running" 3 || return 1
	touch "$T_TMP/gate"
	wait "$wpid" || fail "workload failed" || return 1
	# the interval it exited in is reported at the next tick
	wait_screen '^ +READS/s +[0-9.K]+ +40000 ' 5 || return 1
	wait_screen '^ +READ_B/s +[0-9.KiB]+ +40000B ' 3 || return 1
	row=$(grep -E '^ +SYSCALLS/s' "$T_TMP/screen")
	[ "$(echo "$row" | awk '{ print $3 }')" -ge 40000 ] || fail "syscalls: $row" || return 1
	grep -q 'system calls made' "$T_TMP/screen" || fail "no metric help" || return 1
	tmx send-keys -t m Escape
	wait_screen 'PID +COMM' 3 || return 1
	tmx send-keys -t m q
	check_restored
}

# A parent, a copy of bash named $1, running a child, a copy of the workload named $2, for $3 s;
# sets TREE_PID (the parent's pid).
tree_start() {
	cp "$HELPERS/tui_workload" "$T_TMP/$2" && cp "$(command -v bash)" "$T_TMP/$1" ||
		fail "setup" || return 1
	# pinned like workload(): the name is taken at exec on the CPU that ran it; the parent
	# polls for its child (read -t would die of SIGALRM in a renamed bash)
	taskset -c 0 "$T_TMP/$1" -c "'$T_TMP/$2' 2000 $3 &
		while kill -0 \$! 2>/dev/null; do sleep 0.05; done" &
	TREE_PID=$!
}

# Filtered on $1, the tree (F5) shows parent pid $2 named $3 with child $4 on the next line.
tree_shown() {
	filter_rows "$1"
	tmx send-keys -t m F5
	wait_screen "^ *$2 $3 " 10 || return 1
	wait_screen "^ *[0-9]+ \`-$4 " 10 || return 1
	awk -v p="$2" -v k="\`-$4" '$1 == p { getline; f = index($0, k) > 0; exit }
		END { exit !f }' "$T_TMP/screen" || fail "child not under its parent"
}

# F5: a child (a copy of the workload) under its parent (a copy of bash that waits for it).
test_tui_tree_parent_child() {
	local ppid kid=thtreek$$ par=thtreep$$
	tmux_up || return
	top_start "" syscalls || return 1
	tree_start "$par" "$kid" 8 || return 1
	ppid=$TREE_PID
	# the filter leaves the two: the parent is a root, its child right under it
	tree_shown thtree "$ppid" "$par" "$kid" || return 1
	grep -q '  tree' "$T_TMP/screen" || fail "status does not say tree" || return 1
	wait "$ppid"
	tmx send-keys -t m q
	check_restored
}

# F3/'/' search jumps to a match (off screen too) and n to the next; Enter opens the one found.
# Two workloads, a busy one and a quiet one, so the busy one is first in the syscalls order.
check_search() {
	local cols=$1 lines=$2 key=$3 name=thsrch$$ pa pb
	tmux_up "$cols" "$lines" || return
	top_start "" syscalls || return 1
	cp "$HELPERS/tui_workload" "$T_TMP/${name}a" && cp "$HELPERS/tui_workload" "$T_TMP/${name}b" ||
		fail "setup" || return 1
	taskset -c 0 "$T_TMP/${name}a" $RATE 30 &
	pa=$!
	taskset -c 0 "$T_TMP/${name}b" 100 30 &
	pb=$!
	sleep 2.5 # two intervals: both rows are in, each with its rate
	tmx send-keys -t m "$key"
	wait_screen 'search: _' 3 || return 1
	tmx send-keys -t m -l "$name"
	wait_screen "search: ${name}_" 3 || return 1
	# Escape alone, then the next key: sent together, a loaded terminal reads them as Alt-key
	steps 3 'Enter Enter' "Process $pa ${name}a" Escape 'PID +COMM' \
		'n Enter' "Process $pb ${name}b" Escape 'PID +COMM' || return 1
	# a search for a pid selects that process; one that matches nothing says so
	tmx send-keys -t m "$key"
	tmx send-keys -t m -l "$pb"
	steps 3 'Enter Enter' "Process $pb ${name}b" Escape 'PID +COMM' || return 1
	tmx send-keys -t m "$key"
	tmx send-keys -t m -l "nosuchproc$$"
	wait_screen 'search: no process matches' 3 || return 1
	tmx send-keys -t m Escape q
	kill "$pa" "$pb" 2>/dev/null
	check_restored
}

test_tui_search_f3_80x24() { check_search 80 24 F3; }
test_tui_search_slash_200x50() { check_search 200 50 /; }

# F9 then Enter sends SIGTERM to the selected process.
test_tui_signal_with_confirmation() {
	local name=thsig$$ wpid st
	top_with_workload syscalls "$name" 30 || return 1
	wpid=$WPID
	filter_rows "$name"
	wait_screen "^ *$wpid $name " 10 || return 1
	tmx send-keys -t m F9
	wait_screen "Send a signal to process $wpid" 3 || return 1
	kill -0 "$wpid" || fail "signalled before the confirmation" || return 1
	tmx send-keys -t m Enter
	wait_screen 'SIGTERM sent to 1 process' 3 || return 1
	wait "$wpid"
	st=$?
	[ "$st" = 143 ] || fail "workload exit $st, not killed by SIGTERM" || return 1
	tmx send-keys -t m q
	check_restored
}

# F2: a column hidden in the chooser stays hidden next time ($XDG_CONFIG_HOME/tracerhub).
test_tui_column_chooser_saved() {
	local cfg="$T_TMP/cfg"
	tmux_up || return
	top_start "XDG_CONFIG_HOME=$cfg" syscalls io || return 1
	wait_screen 'SYSCALLS/s' 5 || return 1
	steps 3 F2 '\[x\] SYSCALLS/s' 'Down Space' '\[ \] READ_B/s' Escape 'PID +COMM' || return 1
	grep -qx 'hidden=read_bytes' "$cfg/tracerhub/top.conf" ||
		fail "saved: $(cat "$cfg/tracerhub/top.conf" 2>&1)" || return 1
	quit_restored || return 1
	top_start "XDG_CONFIG_HOME=$cfg" syscalls io || return 1
	wait_screen 'WRITE_B/s' 5 || return 1
	! grep -q 'READ_B/s' "$T_TMP/screen" || fail "READ_B/s shown again" || return 1
	tmx send-keys -t m q
	check_restored
}

# The time (HH:MM:SS) the N-th interval of recording $1 ended at.
interval_time() {
	date -d "@$("$TH" top --replay "$1" --speed 0 -j 2>/dev/null |
		sed -n "${2}p" | jq -r '.ts_ns | tonumber / 1e9 | floor')" +%H:%M:%S
}

test_tui_replay_seek_and_last_frame() {
	local db="$T_TMP/rec_$$.db" t9
	need_root || return
	"$TH" record -o "$db" syscalls 0.3 10 2>"$T_TMP/rec.err" ||
		fail "record: $(cat "$T_TMP/rec.err")" || return 1
	t9=$(interval_time "$db" 9)
	tmux_up || return
	top_start "" --replay "$db" --speed 4 || return 1
	grep -q "REPLAY rec_$$.db .*\[x4\]" "$T_TMP/screen" || fail "not marked as a replay" || return 1
	wait_screen 'interval 10/10  END' 5 || return 1
	sleep 1
	wait_screen 'interval 10/10  END' 1 || return 1
	[ "$(tmx display -p -t m '#{alternate_on}')" = 1 ] || fail "left after the last" || return 1
	steps 2 p 'interval 10/10  PAUSED' Home 'interval 1/10  PAUSED' End 'interval 10/10  PAUSED' \
		Left "REPLAY rec_$$.db [0-9-]+ $t9 \[x4\]  interval 9/10  PAUSED" \
		PPage 'interval 1/10  PAUSED' Right 'interval 2/10  PAUSED' + '\[x8\]' || return 1
	# resumed, it plays on to the end and stays there
	steps 3 p 'interval 10/10  END' || return 1
	steps 2 k 'signals are off in a replay' || return 1
	tmx send-keys -t m q
	check_restored
}

# The tree of a replay comes from the recording: the parent/child of test_tui_tree_parent_child,
# recorded, then shown once both are gone from /proc.
test_tui_replay_tree_from_recording() {
	local db="$T_TMP/tree_$$.db" ppid kid=thrtk$$ par=thrtp$$
	need_root || return
	"$TH" record -o "$db" syscalls 0.5 8 2>"$T_TMP/rec.err" &
	wait_for "$T_TMP/rec.err" "ready:" 20 || return 1
	tree_start "$par" "$kid" 2 || return 1
	ppid=$TREE_PID
	wait "$ppid"
	wait || fail "record: $(cat "$T_TMP/rec.err")" || return 1
	[ ! -e "/proc/$ppid" ] || fail "the parent is still there" || return 1
	tmux_up || return
	top_start "" --replay "$db" --speed 0 || return 1
	tmx send-keys -t m Home
	tree_shown thrt "$ppid" "$par" "$kid" || return 1
	tmx send-keys -t m q
	check_restored
}

# A left click at column $1, line $2 (0-based) as the terminal sends it in X10 mouse mode.
click() {
	local b
	for b in 32 35; do # press, release
		tmx send-keys -t m -l "$(printf '\033[M%b%b%b' "\\$(printf %03o $b)" \
			"\\$(printf %03o $((33 + $1)))" "\\$(printf %03o $((33 + $2)))")"
	done
}

# Line (0-based) of the screen matching $1 and the column where $2 starts on it.
at() {
	awk -v p="$1" -v s="$2" '$0 ~ p { print NR - 1, index($0, s) - 1; exit }' "$T_TMP/screen"
}

test_tui_mouse_and_no_mouse() {
	local y x
	tmux_up || return
	top_start "" syscalls io || return 1
	wait_screen 'PID +COMM .*READS/s' 5 || return 1
	# a click on a column header sorts by it, on a tab switches panels
	read -r y x <<<"$(at 'PID +COMM' 'READS/s')"
	click $((x + 2)) "$y"
	wait_screen 'sort: READS/s \(descending\)' 3 || return 1
	read -r y x <<<"$(at ' 1 Processes ' '4 Health')"
	click $((x + 2)) "$y"
	wait_screen '^ +TRACER +RUNG +PROGS' 3 || return 1
	quit_restored || return 1
	# NO_MOUSE=1: the same click does nothing
	top_start "NO_MOUSE=1" syscalls io || return 1
	wait_screen 'PID +COMM .*READS/s' 5 || return 1
	[ "$(tmx display -p -t m '#{mouse_any_flag}')" = 0 ] || fail "mouse mode on with NO_MOUSE" ||
		return 1
	tmx send-keys -t m q
	check_restored
}

run_tests
