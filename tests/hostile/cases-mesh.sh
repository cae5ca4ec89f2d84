# vfbench mesh: rank 0's results directory (report, gate) and the
# --schedule-file (sourced by make-corpus).
# shellcheck shell=bash

mboth() { # NAME WANT MUST MUSTNOT POST: report and gate on the mesh in $C
	add "$1" "$2" "$3" "$4" "$5" @B@ report "$C"
	add "$1.gate" "$2" "$3" "$4" - @B@ gate -b "$C" -c "$C" --junit "$C/junit.xml"
}

mdir mesh-seed
add mesh-seed 0 - - R,P0 @B@ report "$C"
add mesh-seed.gate 0 "0 failed" - J @B@ gate -b "$C" -c "$C" --junit "$C/junit.xml"

# run.json fields of a mesh: every type where a list or a number is read
for key in suspects hosts ranks rounds hosts.0 hosts.0.host; do
	for v in null -1 2147483648 '"x"' '{}' '[1,null,{},[],"h1"]'; do
		tag=$(vtag "$v")
		mdir "mesh-json-$key-$tag"
		jset "$C/run.json" "$key" "$v"
		add "mesh-json-$key-$tag" "0|2" - - R0 @B@ report "$C"
	done
done
mdir mesh-suspects-long; jset "$C/run.json" suspects "[\"$(rep 100000 s)\"]"
mboth mesh-suspects-long "0|2" - - R0
mdir mesh-suspects-many; jset "$C/run.json" suspects "[$(for i in $(seq 1000); do printf '"host-%04d",' "$i"; done)\"h3\"]"
mboth mesh-suspects-many "0|2" - - R0
mdir mesh-suspects-hostile; jset "$C/run.json" suspects '["`touch PWNED`", "x\";system\"id>P2", "<script>x</script>", "a\u001b[2J\u0001"]'
mboth mesh-suspects-hostile "0|2" - - R0,P0

# ranks: empty, negative, past the heatmap, past an int
for col in src_rank dst_rank; do
	for v in '' -1 -2147483648 2147483647 2147483648 63 64 65 x 1.5; do
		tag=$(printf '%s' "${v:-empty}" | tr -c 'a-zA-Z0-9-' '_')
		mdir "mesh-$col-$tag"
		cell "$C/results.csv" 3 "$col" "$v"
		add "mesh-$col-$tag" "0|2" - - R0,ML @B@ report "$C"
	done
done
for v in '' -1 2147483648 x; do
	mdir "mesh-round-${v:-empty}"
	cell "$C/results.csv" 3 round "$v"
	mboth "mesh-round-${v:-empty}" "0|2" - - R0,ML
done
mdir mesh-retest-bad; cell "$C/results.csv" 3 retest maybe
mboth mesh-retest-bad "0|2" - - R0
mdir mesh-all-error; cell "$C/results.csv" all status error; cell "$C/results.csv" all error died
mboth mesh-all-error "0|1|2" - - R0
mdir mesh-nan; cell "$C/results.csv" 1 lat_p50_us nan; cell "$C/results.csv" 2 bw_avg_gbps -4
add mesh-nan "0|2" "line|lat_p50_us|bw_avg_gbps" - R,ML @B@ report "$C"
add mesh-nan.gate "1|2" "line|lat_p50_us|bw_avg_gbps" - - @B@ gate -b "$out/c/mesh-seed" -c "$C"

# host, path and test names of a mesh reach the heatmaps' gnuplot script
i=0
for name in '`touch PWNED`' 'x";system"id>P2' '"; system("touch PWNED"); "' \
	"x';system('touch PWNED');'" '../../../outside/mesh-pwned' '<script>x</script>' \
	'a
set output "PWNED"'; do
	i=$((i + 1))
	for col in src_host path test; do
		mdir "mesh-name-$i-$col"
		case $col in
		src_host) cell "$C/results.csv" =h1 src_host "$(csvq "$name")"
			cell "$C/results.csv" =h1 dst_host "$(csvq "$name")" ;;
		*) cell "$C/results.csv" all "$col" "$(csvq "$name")" ;;
		esac
		mboth "mesh-name-$i-$col" "0|2" - - R0,P0
	done
done

# 100 hosts, both directions of every pair: 9,900 rows (the gate matches
# rows by key: linear, not quadratic)
dir mesh-100; mesh_seed "$C"
awk 'BEGIN { print "run_id,host,path,test,msg_bytes,iters,lat_p50_us,lat_p99_us,bw_avg_gbps,src_host,dst_host,src_rank,dst_rank,round,flag,retest,status,error"
	for (a = 0; a < 100; a++) for (b = 0; b < 100; b++) if (a != b)
		printf "m1,h0,pf-pf,write_lat,2,1000,%d.5,%d.5,,h%d,h%d,%d,%d,%d,,no,ok,\n", 10 + (a + b) % 7, 20 + (a * b) % 5, a, b, a, b, (a + b) % 99 }' >"$C/results.csv"
jset "$C/run.json" ranks 100
add mesh-100 0 - - R @B@ report "$C"
add mesh-100.gate 0 - - - @B@ gate -b "$C" -c "$C"

# --schedule-file: read (whole, any length) before the launcher is asked
# for; without a launcher every case ends there, exit 2
sched() { # NAME MUST
	add "$1" 2 "$2" - - @B@ mesh --schedule file --schedule-file "$C/sched" -D 0.1
}
dir sched-seed; printf '0:1\n' >"$C/sched"
sched sched-seed "launcher"
for k in empty dir fifo link-fifo devzero missing huge-line huge-file nul crlf invalid-utf8; do
	dir "sched-$k"
	f=$C/sched
	case $k in
	empty) : >"$f" ;;
	dir) mkdir "$f" ;;
	fifo) mkfifo "$f" ;;
	link-fifo) mkfifo "$C/fifo"; ln -s fifo "$f" ;;
	devzero) ln -s /dev/zero "$f" ;;
	missing) ;;
	huge-line) { printf '0:1'; rep 4194304 ' '; echo; } >"$f" ;;
	huge-file) yes '0:1' | head -n 1000000 >"$f" ;;
	nul) printf '0:1\0\n1:7\n' >"$f" ;;
	crlf) printf '0:1\r\n' >"$f" ;;
	invalid-utf8) printf '\xff:\xfe\n' >"$f" ;;
	esac
	sched "sched-$k" "schedule-file|launcher"
done

# with a launcher (Open MPI's mpirun, as tests/mesh-check): the schedule's
# contents, refused before the rendezvous's rounds (exit 2) or run (every
# pair an error row here, no device: exit 3, saying so on stderr)
if command -v mpirun >/dev/null; then
	msched() { # NAME WANT MUST MUSTNOT
		add "$1" "$2" "$3" "$4" ML mpirun --oversubscribe -np 2 @B@ mesh -p @PORT@ \
			-t write_lat -n 10 --schedule file --schedule-file "$C/sched" --out "$C/out"
	}
	dir msched-seed; printf '0:1\n' >"$C/sched"
	msched msched-seed 3 "." -
	dir msched-empty; : >"$C/sched"
	msched msched-empty 2 "schedule|empty|round|pair" -
	dir msched-nul; printf '0:1\0\n1:7\n' >"$C/sched"
	msched msched-nul 2 "schedule|line|NUL|rank" -
	dir msched-crlf; printf '0:1\r\n' >"$C/sched"
	msched msched-crlf "2|3" "." -
	dir msched-long-line; { printf '0:1'; rep 100000 ' '; printf '\n1:0\n'; } >"$C/sched"
	msched msched-long-line "2|3" "." -
	for r in 2147483648 -1 99999999999999999999 '0:0' '0:1:2' ':' 'h0:h1'; do
		tag=$(printf '%s' "$r" | tr -c 'a-zA-Z0-9-' '_')
		dir "msched-rank-$tag"
		case $r in *:*) printf '%s\n' "$r" >"$C/sched" ;; *) printf '0:%s\n' "$r" >"$C/sched" ;; esac
		msched "msched-rank-$tag" 2 "line 1|rank|schedule" -
	done
else
	echo "make-corpus: no mpirun: the schedule-file contents are not run" >&2
fi
