#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `make install`: the binary, its man page and bash completion under DESTDIR/PREFIX; the man
# page renders without a warning and lists every command and tracer; the completion completes
# tracers, their options and --sort fields. No root needed.
. "$(dirname "$0")/../lib.sh"

install_to() {
	make --no-print-directory -s install BUILD="$BUILD" DESTDIR="$T_TMP/root" PREFIX=/usr \
		>"$T_TMP/make.log" 2>&1 || { cat "$T_TMP/make.log" >&2; fail "make install failed"; }
}

test_install_files() {
	install_to || return 1
	[ -x "$T_TMP/root/usr/sbin/tracerhub" ] || fail "no executable usr/sbin/tracerhub" || return 1
	[ -f "$T_TMP/root/usr/share/man/man8/tracerhub.8" ] || fail "no man page" || return 1
	[ -f "$T_TMP/root/usr/share/bash-completion/completions/tracerhub" ] ||
		fail "no bash completion" || return 1
	"$T_TMP/root/usr/sbin/tracerhub" version | grep -q '^tracerhub ' ||
		fail "the installed binary does not run alone"
}

test_man_page() {
	local page t
	command -v groff >/dev/null || skip "groff not installed (package groff-base)" || return
	install_to || return 1
	page=$T_TMP/root/usr/share/man/man8/tracerhub.8
	groff -man -ww -z "$page" 2>"$T_TMP/warn"
	[ ! -s "$T_TMP/warn" ] || fail "groff warns: $(head -3 "$T_TMP/warn")" || return 1
	groff -man -Tutf8 "$page" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' >"$T_TMP/text"
	for t in top serve record report doctor syscalls io bio netproc tcpconnect tcplife \
		pktjourney exec cpu shell; do
		grep -q "Usage: tracerhub $t" "$T_TMP/text" || fail "the man page has no section of $t" ||
			return 1
	done
	grep -q "EXIT STATUS" "$T_TMP/text" || fail "the man page has no EXIT STATUS"
}

# complete WORDS...: what the completion offers for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tracerhub
		echo "${COMPREPLY[*]}"' _ \
		"$T_TMP/root/usr/share/bash-completion/completions/tracerhub" "$@"
}

test_bash_completion() {
	install_to || return 1
	[ "$(complete_words tracerhub sysc)" = syscalls ] ||
		fail "tracerhub sysc: '$(complete_words tracerhub sysc)'" || return 1
	[ "$(complete_words tracerhub syscalls --lat)" = --latency ] ||
		fail "syscalls --lat: '$(complete_words tracerhub syscalls --lat)'" || return 1
	[ "$(complete_words tracerhub syscalls --sort syscall_e)" = syscall_errors ] ||
		fail "--sort syscall_e: '$(complete_words tracerhub syscalls --sort syscall_e)'" || return 1
	[ "$(complete_words tracerhub top pktj)" = pktjourney ] ||
		fail "top pktj: '$(complete_words tracerhub top pktj)'" || return 1
	[ "$(complete_words tracerhub syscalls --rung raw)" = raw_tp ] ||
		fail "--rung raw: '$(complete_words tracerhub syscalls --rung raw)'"
}

run_tests
