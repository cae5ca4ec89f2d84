# Helpers for scripts that run inside the lab (VM A). Sourced.
# shellcheck shell=bash
VFBENCH=${VFB_BUILD:-$VFB_SRC/build}/bench/vfbench
lab_pass=0 lab_fail=0 lab_skip=0

ok() { lab_pass=$((lab_pass + 1)); echo "ok: $*"; }
bad() { lab_fail=$((lab_fail + 1)); echo "FAIL: $*"; }
# a check this run could not show, with the reason: never a pass
skip() { lab_skip=$((lab_skip + 1)); echo "skip: $*"; }
expect() { # DESCRIPTION CMD...: passes when CMD exits 0
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
finish() {
	echo "$lab_pass passed, $lab_fail failed$([ "$lab_skip" = 0 ] || echo ", $lab_skip skipped")"
	[ "$lab_fail" = 0 ]
}

# wait_for SECONDS CMD...: poll CMD until it succeeds.
wait_for() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

rxe_active() { rdma link show "$1/1" 2>/dev/null | grep -q 'state ACTIVE'; }

# perftest_ok LOGFILE: a latency run printed its result row.
perftest_ok() { grep -qE '^ *[0-9]+ +[0-9]+ +[0-9.]+ +[0-9.]+ +[0-9.]+' "$1"; }

# device_path DEV: the path class 'vfbench devices --json' gives DEV.
device_path() {
	"$VFBENCH" devices --json | tr -d ' \n' |
		grep -o "\"name\":\"$1\"[^}]*\"path\":\"[a-z]*\"" |
		sed 's/.*"path":"\([a-z]*\)"/\1/'
}

# csv_awk FILE PROGRAM: run an awk PROGRAM over the data rows of a
# results.csv, where $c["status"] is the field of column "status".
csv_awk() {
	awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } '"$2" "$1"
}

# doctor_status FILE ID [SUBJECT]: the status 'vfbench doctor' printed
# in FILE for check ID on SUBJECT ("-" for a host-wide check).
doctor_status() {
	awk -v id="$2" -v s="${3:--}" '$2 == id && $3 == s { print $1; exit }' "$1"
}

# doctor_json_ok FILE: a JSON list of N >= 26 results, each with the four
# keys id, status, evidence, fix.
doctor_json_ok() {
	local n
	n=$(grep -c '"id":' "$1")
	[ "$n" -ge 26 ] && [ "$(head -c1 "$1")" = "[" ] &&
		[ "$(grep -c '"status": *"\(pass\|warn\|fail\|skip\)"' "$1")" = "$n" ] &&
		[ "$(grep -c '"evidence":' "$1")" = "$n" ] &&
		[ "$(grep -c '"fix":' "$1")" = "$n" ]
}
