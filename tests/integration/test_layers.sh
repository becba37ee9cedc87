#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The layers go one way (docs/architecture.md, read by scripts/check-layers.sh): the tree keeps
# its rules, and the check finds an include that breaks them and an exception that is gone.
# No root, no BPF.
. "$(dirname "$0")/../lib.sh"

DOC=docs/architecture.md

# check DOC SRC: run the check, its output in $T_TMP/out; its exit status.
check() { scripts/check-layers.sh "$1" "$2" >"$T_TMP/out" 2>&1; }

test_tree_keeps_the_layers() {
	check "$DOC" src || { cat "$T_TMP/out" >&2; fail "includes break the layers"; }
}

# A copy of the tree's sources (headers and .c) in $T_TMP/src.
copy_src() {
	mkdir -p "$T_TMP/src"
	cp -r src/. "$T_TMP/src/"
}

test_finds_an_include_up() {
	copy_src
	echo '#include "tracers/io/io.h"' >>"$T_TMP/src/model/metric.c"
	echo '#include "web/api.h"' >>"$T_TMP/src/core/log.c"
	check "$DOC" "$T_TMP/src" && { fail "the check passed an include up"; return 1; }
	grep -q "src/model/metric.c: includes \"tracers/io/io.h\"" "$T_TMP/out" ||
		fail "model -> tracers not named: $(cat "$T_TMP/out")" || return 1
	grep -q "src/core/log.c: includes \"web/api.h\"" "$T_TMP/out" ||
		fail "core -> web not named: $(cat "$T_TMP/out")" || return 1
	[ "$(wc -l <"$T_TMP/out")" -eq 2 ] || fail "more than the 2 planted: $(cat "$T_TMP/out")"
}

test_finds_a_tracer_including_another() {
	copy_src
	echo '#include "tracers/io/io.h"' >>"$T_TMP/src/tracers/bio/bio.c"
	check "$DOC" "$T_TMP/src" && { fail "tracer -> tracer passed"; return 1; }
	grep -q "src/tracers/bio/bio.c: includes \"tracers/io/io.h\" (layer tracers/io)" "$T_TMP/out" ||
		fail "not named: $(cat "$T_TMP/out")"
}

test_new_directory_needs_a_rule() {
	copy_src
	mkdir "$T_TMP/src/misc"
	echo '#include "model/metric.h"' >"$T_TMP/src/misc/x.c"
	check "$DOC" "$T_TMP/src" && { fail "a layer without a rule passed"; return 1; }
	grep -q "src/misc/x.c: layer 'misc' has no rule" "$T_TMP/out" || fail "$(cat "$T_TMP/out")"
}

test_stale_exception_fails() {
	sed 's|^```layers-pending$|&\ncore/hub.c: web/nothing.h|' "$DOC" >"$T_TMP/doc.md"
	check "$T_TMP/doc.md" src && { fail "a stale exception passed"; return 1; }
	grep -q "^core/hub.c: web/nothing.h: listed .* no longer included" "$T_TMP/out" ||
		fail "$(cat "$T_TMP/out")"
}

run_tests
