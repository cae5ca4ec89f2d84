# Helpers of tests/hostile/make-corpus (sourced; $out, $seed, $sys set).
# shellcheck shell=bash

# add NAME WANT MUST MUSTNOT POST CMD...: one case in $out/cases, whose
# inputs (and outputs) are in $C
add() {
	local name=$1 want=$2 must=$3 mustnot=$4 post=$5 cmd="" w
	shift 5
	for w in "$@"; do cmd+=" $(printf '%q' "$w")"; done
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$want" "$must" "$mustnot" \
		"$post" "${C:--}" "${cmd# }" >>"$out/cases"
}

# dir NAME: an empty case directory, in $C
dir() {
	C=$out/c/$1
	mkdir -p "$C"
}

# rdir NAME: a case directory holding a copy of the seed run, in $C
rdir() {
	dir "$1"
	cp "$seed/results.csv" "$seed/run.json" "$C/"
}

# csvq TEXT: TEXT as one CSV field (RFC 4180 quoting)
csvq() {
	local s=${1//\"/\"\"}
	printf '"%s"' "$s"
}

# cell FILE SELECT COLUMN VALUE: set COLUMN (by name) to VALUE (CSV text,
# already quoted) in data row SELECT (1-based), in 'all' rows, or in rows
# whose COLUMN equals SELECT (=TEXT)
cell() {
	local f=$1
	printf '%s' "$4" >"$f.val"
	SEL=$2 COL=$3 awk -F, -v OFS=, -v vf="$f.val" '
		BEGIN { while ((getline l < vf) > 0) v = (n++ ? v "\n" : "") l }
		NR == 1 { for (i = 1; i <= NF; i++) { if ($i == ENVIRON["COL"]) k = i; if ($i == "test") t = i }
			  print; next }
		{ s = ENVIRON["SEL"]
		  if (s == "all" || s == NR - 1 || (substr(s, 1, 1) == "=" && $t == substr(s, 2)))
			$k = v
		  print }' "$f" >"$f.new"
	mv "$f.new" "$f"
	rm "$f.val"
}

# jset FILE KEY JSON: set KEY (dotted, list indexes as numbers; '-' the
# whole document) of a JSON file to the JSON text given; jstr FILE KEY
# TEXT: to the string TEXT. Queued, and done in order by jedit at the end
# (one python3 for all: it is slow to start).
jset() { jqueue json "$@"; }
jstr() { jqueue str "$@"; }
jqueue() {
	jn=$((${jn:-0} + 1))
	printf '%s' "$4" >"$out/jedit.$jn"
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$out/jedit.$jn" >>"$out/jedit"
}
jedit() {
	[ -f "$out/jedit" ] || return 0
	python3 - "$out/jedit" <<'EOF'
import json, os, sys
for spec in open(sys.argv[1]).read().splitlines():
    kind, f, key, vf = spec.split('\t')
    raw = open(vf, 'rb').read().decode('utf-8', 'surrogateescape')
    v = json.loads(raw) if kind == 'json' else raw
    d = json.load(open(f))
    if key == '-':
        d = v
    else:
        *up, last = key.split('.')
        o = d
        for k in up:
            o = o[int(k)] if isinstance(o, list) else o[k]
        if isinstance(o, list):
            o[int(last)] = v
        else:
            o[last] = v
    try:
        text = json.dumps(d, indent=1, ensure_ascii=False).encode('utf-8', 'surrogateescape')
    except UnicodeEncodeError:  # a lone surrogate: written as its escape
        text = json.dumps(d, indent=1).encode()
    open(f, 'wb').write(text)
    os.unlink(vf)
os.unlink(sys.argv[1])
EOF
}

# vtag VALUE: a short name for a value, for case names
vtag() {
	case $1 in
	null | true) printf '%s' "$1" ;;
	'""') printf 'emptystr' ;;
	'"x"') printf 'str' ;;
	'[]') printf 'list' ;;
	'{}') printf 'obj' ;;
	'['*) printf 'mixlist' ;;
	'{'*) printf 'nested' ;;
	'') printf 'empty' ;;
	*) printf '%s' "$1" | tr -c 'a-zA-Z0-9.+-' '_' ;;
	esac
}

# rep N TEXT: TEXT N times
rep() {
	if [ "${#2}" = 1 ] && [ "$2" != '\\' ]; then
		head -c "$1" /dev/zero | tr '\0' "$2"
	else
		yes -- "$2" | head -n "$1" | tr -d '\n'
	fi
}

# mkfifo_at PATH: a FIFO at PATH (whatever was there goes)
mkfifo_at() {
	rm -rf "$1"
	mkdir -p "$(dirname "$1")"
	mkfifo "$1"
}

# victim NAME: a file outside every case directory (in outside/CASE/)
# that a planted symlink of case $C points at; tests/hostile-check checks
# that it is never written
victim() {
	mkdir -p "$out/outside/${C##*/}"
	printf 'victim %s: must stay as it is\n' "$1" >"$out/outside/${C##*/}/$1"
	printf '%s' "$out/outside/${C##*/}/$1"
}

# A mesh run of 4 hosts, every pair once in 3 rounds, write_lat and
# write_bw on pf-pf: rows written by rank 0 (as bench/mesh.c writes them,
# the columns a report reads).
mesh_seed() { # DIR
	local d=$1 r s t
	mkdir -p "$d"
	{
		echo "run_id,host,path,test,msg_bytes,iters,lat_p50_us,lat_p99_us,bw_avg_gbps,src_host,dst_host,src_rank,dst_rank,round,flag,retest,status,error"
		for r in "0 1 0" "2 3 0" "0 2 1" "1 3 1" "0 3 2" "1 2 2"; do
			set -- $r
			s=$((10 + $1 + $2))
			t=$((1 + $1 * 4 + $2))
			echo "m1,h0,pf-pf,write_lat,2,1000,$s.5,$((s + 3)).25,,h$1,h$2,$1,$2,$3,,no,ok,"
			echo "m1,h0,pf-pf,write_bw,65536,1000,,,$t.75,h$1,h$2,$1,$2,$3,,no,ok,"
		done
	} >"$d/results.csv"
	cat >"$d/run.json" <<'EOF'
{"schema":"vfbench-run/1","kernel":"6.1.0","machine":"x86_64","rdma_core":"50.0",
 "vfbench":"0.1.0","git_describe":"seed","cpu_model":"seed","cpu_governor":null,
 "command_line":["mesh"],"command":"mesh","schedule":"pairs","ranks":4,"rounds":3,
 "hosts":[{"rank":0,"host":"h0","env":{"kernel":"6.1.0"}},{"rank":1,"host":"h1","env":{}},
          {"rank":2,"host":"h2","env":{}},{"rank":3,"host":"h3","env":{}}],
 "run_id":"m1","host":"h0","started":"2026-11-25T09:33:58Z","status":"completed",
 "suspects":["h3"],"ended":"2026-11-25T09:35:26Z","rows":12,"error_rows":0}
EOF
}

# mdir NAME: a case directory holding the mesh seed, in $C
mdir() {
	dir "$1"
	mesh_seed "$C"
}

# sdir NAME [TREE]: a case directory holding a copy of a sysfs tree (by
# default mlx5-pf-vfs: PF 0000:03:00.0 with 2 of 8 VFs), in $C; the PF's
# directory in $PF
sdir() {
	dir "$1"
	cp -a "$sys/${2:-mlx5-pf-vfs}/." "$C/"
	PF=$C/sys/devices/pci0000:00/0000:00:02.0/0000:03:00.0
}
