#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Check that every #include "..." under SRC goes one way: a file includes only headers of its
# own layer and of the layers its rule names. The rules are read from the ```layers block of
# DOC (docs/architecture.md), the known exceptions from its ```layers-pending block.
#
# Usage: scripts/check-layers.sh [DOC [SRC]]   (defaults: docs/architecture.md src)
# Prints one line per violation, "FILE: includes HEADER (layer L may include: ...)", and per
# stale exception; exits 1 when there is either, 2 when DOC has no rules.
#
# A file's layer is its directory under SRC (src/core/log.c: core); under tracers/ it is the
# tracer's directory (src/tracers/io/io.c: tracers/io), which the rule "tracers/*" covers; a
# file directly in SRC is its own layer by its name without extension (src/main.c: main). An
# include without a directory is a generated header: the rules say its layer ("NAME.h = L").
# A rule for a directory that does not exist is simply unused.
set -euo pipefail

doc=${1:-docs/architecture.md}
src=${2:-src}

# The lines of fenced block $1 of the document, without comments and blank lines.
block() {
	awk -v tag="$1" '
		$0 == "```" tag { inside = 1; next }
		inside && /^```/ { inside = 0 }
		inside { sub(/#.*/, ""); if ($0 ~ /[^ \t]/) print }
	' "$doc"
}

declare -A may  # layer -> " dep dep " (the layers it may include, itself added)
declare -A gen  # generated header -> its layer
while read -r line; do
	if [[ $line == *=* ]]; then
		layer=$(echo "${line#*=}" | xargs)
		for h in ${line%%=*}; do
			gen[$h]=$layer
		done
	else
		layer=$(echo "${line%%:*}" | xargs)
		may[$layer]=" $(echo "${line#*:}" | xargs) "
	fi
done < <(block layers)
if [ ${#may[@]} -eq 0 ]; then
	echo "check-layers: no \`\`\`layers block in $doc" >&2
	exit 2
fi

declare -A pending # "file: header" -> 1 until seen
while read -r line; do
	pending["$(echo "$line" | xargs)"]=1
done < <(block layers-pending)

# The layer of path $1 (relative to src), e.g. core, tracers/io, main.
layer_of() {
	case $1 in
	tracers/*/*) echo "${1%/*}" | cut -d/ -f1-2 ;;
	*/*) echo "${1%%/*}" ;;
	*) echo "${1%%.*}" ;;
	esac
}

# The rule of layer $1: its own, or the rule of its family (tracers/io: tracers/*).
rule_of() {
	if [ -n "${may[$1]+set}" ]; then
		echo "${may[$1]}"
	elif [ -n "${may[${1%%/*}/*]+set}" ] && [[ $1 == */* ]]; then
		echo "${may[${1%%/*}/*]}"
	else
		return 1
	fi
}

bad=0
declare -A seen_pending
while IFS= read -r hit; do
	file=${hit%%:*}
	rel=${file#"$src"/}
	inc=$(echo "${hit#*:}" | sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]+"([^"]+)".*/\1/')
	from=$(layer_of "$rel")
	if ! rule=$(rule_of "$from"); then
		echo "$file: layer '$from' has no rule in $doc: add one"
		bad=1
		continue
	fi
	if [[ $inc == */* ]]; then
		to=$(layer_of "$inc")
	elif [ -n "${gen[$inc]+set}" ]; then
		to=${gen[$inc]}
	else
		echo "$file: includes \"$inc\": a header without a directory that $doc does not name"
		bad=1
		continue
	fi
	[ "$to" = "$from" ] && continue
	[[ $rule == *" * "* || $rule == *" $to "* ]] && continue
	[[ $to == */* && $rule == *" ${to%%/*}/* "* && $from != "${to%%/*}"/* ]] && continue
	if [ -n "${pending["$rel: $inc"]+set}" ]; then
		seen_pending["$rel: $inc"]=1
		continue
	fi
	echo "$file: includes \"$inc\" (layer $to); layer $from may include:${rule% } (itself)"
	bad=1
done < <(grep -rHE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"' "$src" \
	--include='*.c' --include='*.h' | sort)

for p in "${!pending[@]}"; do
	if [ -z "${seen_pending[$p]+set}" ]; then
		echo "$p: listed in $doc's layers-pending but no longer included: remove the line"
		bad=1
	fi
done
exit $bad
