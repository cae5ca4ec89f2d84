# Results directories: results.csv, run.json, samples/ and the outputs of
# vfbench report, read by report and gate (sourced by make-corpus).
# shellcheck shell=bash

# report and gate on the copy in $C: the rows or the metadata are bad
both() { # NAME WANT MUST MUSTNOT POST [GATE_WANT]
	add "$1" "$2" "$3" "$4" "$5" @B@ report "$C"
	add "$1.gate" "${6:-$2}" "$3" "$4" "-" @B@ gate -b "$seed" -c "$C" --junit "$C/junit.xml"
}
# a candidate whose rows of a case changed name or size lacks the
# baseline's: the gate may fail it (exit 1) as well as refuse it
neg='-[0-9]+ fields|empty file'

# --- the seed itself, and the mesh seed: clean
rdir seed
add seed 0 - - R,P0 @B@ report "$C"
add seed.gate 0 "0 failed" - J @B@ gate -b "$seed" -c "$C" --junit "$C/junit.xml"

# --- results.csv that is not a file, or empty, or cut
rdir csv-empty; : >"$C/results.csv"
both csv-empty 2 "results\.csv" - -
rdir csv-header-only; head -1 "$seed/results.csv" >"$C/results.csv"
both csv-header-only 2 "results\.csv" - -
rdir csv-missing; rm "$C/results.csv"
both csv-missing 2 "results\.csv" - -
rdir csv-dir; rm "$C/results.csv"; mkdir "$C/results.csv"
both csv-dir 2 "results\.csv.*([Dd]irector|regular|not a file)" "empty file" -
rdir csv-fifo; mkfifo_at "$C/results.csv"
both csv-fifo 2 "results\.csv" - -
rdir csv-link-fifo; mkfifo "$C/fifo"; rm "$C/results.csv"; ln -s fifo "$C/results.csv"
both csv-link-fifo 2 "results\.csv" - -
rdir csv-link-loop; rm "$C/results.csv"; ln -s results.csv "$C/results.csv"
both csv-link-loop 2 "results\.csv" - -
rdir csv-devnull; rm "$C/results.csv"; ln -s /dev/null "$C/results.csv"
both csv-devnull 2 "results\.csv" - -
rdir csv-unterminated; head -3 "$seed/results.csv" >"$C/results.csv"
printf '"never closed,1\n' >>"$C/results.csv"
both csv-unterminated 2 "line 4" "$neg" -
rdir csv-no-newline; printf '%s' "$(cat "$seed/results.csv")" >"$C/results.csv"
both csv-no-newline 0 - - R
rdir csv-crlf; sed 's/$/\r/' "$seed/results.csv" >"$C/results.csv"
both csv-crlf 0 - - R,P0
rdir csv-bom; { printf '\xef\xbb\xbf'; cat "$seed/results.csv"; } >"$C/results.csv"
both csv-bom "0|2" - "$neg" R0
rdir csv-cr-only; tr '\n' '\r' <"$seed/results.csv" >"$C/results.csv"
both csv-cr-only "0|2" - "$neg" R0
rdir csv-blank-lines; sed 'a\\' "$seed/results.csv" >"$C/results.csv"
both csv-blank-lines 0 - - R

# --- field counts: at and past the 128-column limit, short and long rows
rdir csv-short-row; head -2 "$seed/results.csv" >"$C/results.csv"; echo "a,b,c" >>"$C/results.csv"
both csv-short-row 2 "line 3" "$neg" -
rdir csv-long-row; head -2 "$seed/results.csv" >"$C/results.csv"
sed -n 2p "$seed/results.csv" | sed 's/$/,extra,extra/' >>"$C/results.csv"
both csv-long-row 2 "line 3" "$neg" -
for n in 128 129 1000; do
	rdir "csv-cols-$n"
	k=$((n - 32)) # the seed has 32 columns; the others are unknown ones
	extra=$(for ((i = 0; i < k; i++)); do printf ',x%d' "$i"; done)
	blank=$(rep "$k" ,)
	{ head -1 "$seed/results.csv" | sed "s/\$/$extra/"
	  tail -n +2 "$seed/results.csv" | sed "s/\$/$blank/"; } >"$C/results.csv"
	if [ "$n" = 128 ]; then
		both "csv-cols-$n" 0 - - R
	else # past the reader's columns: read past, or refused naming it
		both "csv-cols-$n" "0|2" - "$neg" R0
	fi
done
rdir csv-row-129-fields; head -2 "$seed/results.csv" >"$C/results.csv"
sed -n 2p "$seed/results.csv" | sed "s/\$/$(rep 97 ,)/" >>"$C/results.csv"
both csv-row-129-fields 2 "line 3" "$neg" -

# --- overlong fields and lines, at and past each buffer
for len in 15 16 17 63 64 255 256 1048576; do
	rdir "csv-test-name-$len"
	cell "$C/results.csv" =write_lat test "$(rep "$len" w)"
	both "csv-test-name-$len" "0|2" - "$neg" R0 "0|1|2"
done
for col in host device run_id path peer error; do
	rdir "csv-long-$col"
	cell "$C/results.csv" 1 "$col" "$(rep 100000 a)"
	both "csv-long-$col" "0|2" - "$neg" R0 "0|1|2"
done
rdir csv-line-4mib; cp "$seed/results.csv" "$C/"
cell "$C/results.csv" 1 error "$(csvq "$(rep 4194304 e)")"
both csv-line-4mib "0|2" - "$neg" R0
rdir csv-quoted-newlines
cell "$C/results.csv" 1 error "$(csvq "$(printf 'a\nb\r\nc\n\n"q"')")"
both csv-quoted-newlines "0|2" - "$neg" R0
rdir csv-unbalanced-quote-eof; cp "$seed/results.csv" "$C/"
printf '"%s' "$(rep 100000 'x\n')" >>"$C/results.csv"
both csv-unbalanced-quote-eof 2 "line" "$neg" -

# --- non-finite, negative and nonsense figures: the row is refused,
# naming it; report still writes the report of the other rows
for v in nan NaN inf -inf -1 -0.001 1e309 0x10 1e-400 ' 5' '5 ' 5us; do
	tag=${v// /_}
	rdir "csv-lat-$tag"
	cell "$C/results.csv" 1 lat_p50_us "$v"
	case $v in
	nan | NaN | inf | -inf | -1 | -0.001 | 1e309)
		add "csv-lat-$tag" "0|2" "line 2|lat_p50_us" - R,ML @B@ report "$C"
		add "csv-lat-$tag.gate" "1|2" "line 2|lat_p50_us|:2:" - - @B@ gate -b "$seed" -c "$C" ;;
	*) # strtod's reach (hex, underflow, spaces), or not a number: read,
		# or the row or the file refused
		add "csv-lat-$tag" "0|2" - - R0,ML @B@ report "$C"
		add "csv-lat-$tag.gate" "0|1|2" - - - @B@ gate -b "$seed" -c "$C" ;;
	esac
done
for v in nan -5 inf; do
	rdir "csv-bw-$v"
	cell "$C/results.csv" =write_bw bw_avg_gbps "$v"
	add "csv-bw-$v" "0|2" "line|bw_avg_gbps" - R,ML @B@ report "$C"
	# a refused baseline row: that case is not judged, the warning names it
	add "csv-bw-$v.gate" "0|1|2" "line|bw_avg_gbps" - - @B@ gate -b "$C" -c "$seed"
done
rdir csv-all-negative
awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^lat_.*_us$/) s[i] = 1; print; next }
	{ for (i in s) if ($i != "") $i = -$i; print }' "$seed/results.csv" >"$C/results.csv"
add csv-all-negative.gate "1|2" "line|negative|lat_" - - @B@ gate -b "$seed" -c "$C"
for v in -1 18446744073709551616 99999999999999999999999 0 abc 2.5; do
	rdir "csv-size-$v"
	cell "$C/results.csv" 1 msg_bytes "$v"
	both "csv-size-$v" "0|2" - "$neg" R0 "0|1|2"
done
for v in -1 1e99 x; do
	rdir "csv-iters-$v"
	cell "$C/results.csv" 1 iters "$v"
	both "csv-iters-$v" "0|2" - "$neg" R0 "0|1|2"
done
for v in ok2 '' OK error; do
	rdir "csv-status-${v:-empty}"
	cell "$C/results.csv" 2 status "$v"
	both "csv-status-${v:-empty}" "0|1|2" - "$neg" R0
done
rdir csv-rep-huge; cp "$seed/results.csv" "$C/"
awk -F, -v OFS=, 'NR == 1 { print $0 ",rep"; next } { print $0 ",4294967296" }' "$seed/results.csv" >"$C/results.csv"
both csv-rep-huge "0|2" - "$neg" R0

# --- NUL bytes, invalid UTF-8 and control characters in rows
rdir csv-nul; { head -2 "$seed/results.csv"; printf 'x\0y,'; tail -n +3 "$seed/results.csv"; } >"$C/results.csv"
both csv-nul "0|2" - "$neg" R0
rdir csv-nul-in-name
{ head -1 "$seed/results.csv"; sed -n 2p "$seed/results.csv" | sed 's/,write_lat,/,write\x00PWNED,/'
  tail -n +3 "$seed/results.csv"; } >"$C/results.csv"
both csv-nul-in-name "0|2" - "$neg" R0
for s in '\xff\xfe' '\xc3\x28' '\xed\xa0\x80' '\xf8\x88\x80\x80\x80' '\xe2\x82'; do
	tag=$(printf '%s' "$s" | tr -d '\\')
	rdir "csv-utf8-$tag"
	# shellcheck disable=SC2059
	bad=$(printf "$s")
	cell "$C/results.csv" =write_lat test "w${bad}l"
	cell "$C/results.csv" all host "h${bad}"
	cell "$C/results.csv" 5 status error
	cell "$C/results.csv" 5 error "$(csvq "broken ${bad} utf-8")"
	both "csv-utf8-$tag" "0|1|2" - "$neg" R0
done
rdir csv-control-chars
esc=$(printf '\x1b[31m\x01\x07\x08\x7f')
cell "$C/results.csv" all host "$(csvq "h$esc")"
cell "$C/results.csv" =send_lat test "s${esc}l"
cell "$C/results.csv" 3 status error
cell "$C/results.csv" 3 error "$(csvq "$(printf 'tab\there\vvt\fff\x1b[2J\x00')")"
both csv-control-chars "0|1|2" - "$neg" R0
rdir csv-xml-in-error
cell "$C/results.csv" 3 status error
cell "$C/results.csv" 3 error "$(csvq ']]></failure><![CDATA[ <x a="&amp;"> & &#0; &#x1; <!-- -->')"
add csv-xml-in-error.gate 1 "FAIL" - J @B@ gate -b "$seed" -c "$C" --junit "$C/junit.xml"

# --- names that reach gnuplot, HTML, Markdown and a shell
i=0
for name in '`touch PWNED`' 'x";system"id>P2' "x';system('touch PWNED');'" \
	'$(touch PWNED)' '";`touch PWNED`;"' '\";system("touch PWNED");#' \
	"x\\" '"' "'" 'a"b' '<script>alert(1)</script>' '<img src=x onerror=alert(1)>' \
	'| a | b |' '[x](javascript:alert(1))' '../../../outside/pwned' '/' '.' '..' \
	'x
set output "PWNED"' '@ARG0' '${PWD}' '%s%n%s' 'set term dumb' ' '; do
	i=$((i + 1))
	for col in test path host; do
		rdir "name-$i-$col"
		case $col in
		test) cell "$C/results.csv" =write_lat test "$(csvq "$name")" ;;
		path) cell "$C/results.csv" =vf path "$(csvq "$name")" ;;
		host) cell "$C/results.csv" all host "$(csvq "$name")" ;;
		esac
		add "name-$i-$col" "0|2" - "$neg" R0,P0 @B@ report "$C"
	done
	rdir "name-$i-runjson"
	jstr "$C/run.json" paths.1.path "$name"
	jstr "$C/run.json" kernel "$name"
	add "name-$i-runjson" "0|2" - - R0,P0 @B@ report "$C"
done
rdir name-gate-junit
cell "$C/results.csv" =write_lat test "$(csvq '<"&'"'"'>]]>')"
cell "$C/results.csv" =vf path "$(csvq 'v<f>&')"
add name-gate-junit "0|1|2" - - - @B@ gate -b "$C" -c "$C" --junit "$C/junit.xml"

# --- outputs: symlinks planted where report writes (they point outside)
for o in report.md report.html plots/plots.gp plots/lat_write_lat.png plots/lat_write_lat.svg \
	plots/gnuplot.log plots/overhead.write_lat.dat report.md.tmp report.html.tmp; do
	tag=${o//\//-}
	rdir "out-link-$tag"
	mkdir -p "$C/plots"
	ln -s "$(victim "out-$tag")" "$C/$o"
	add "out-link-$tag" "0|2|3" - - ML @B@ report "$C"
done
rdir out-link-plots-dir; mkdir -p "$out/outside/${C##*/}"; ln -s "$out/outside/${C##*/}" "$C/plots"
add out-link-plots-dir "0|2|3" - - ML @B@ report "$C"
rdir out-link-dangling; mkdir -p "$out/outside/${C##*/}"; ln -s "$out/outside/${C##*/}/never-made" "$C/report.md"
add out-link-dangling "0|2|3" - - ML @B@ report "$C"
for o in report.md plots/plots.gp; do
	tag=${o//\//-}
	rdir "out-fifo-$tag"
	mkfifo_at "$C/$o"
	add "out-fifo-$tag" "0|2|3" - - ML @B@ report "$C"
	rdir "out-dir-$tag"
	mkdir -p "$C/$o"
	add "out-dir-$tag" "0|2|3" - - ML @B@ report "$C"
done

# --- run.json: every field of every type, and broken documents
# (types a field does not take are said and refused, or shown as text)
for key in schema kernel machine rdma_core vfbench git_describe cpu_model cpu_governor \
	command_line params clock latency paths setup run_id host started status ended \
	rows error_rows; do
	for v in null 1e308 '"x"' '[]' '{}'; do
		tag=$(vtag "$v")
		rdir "json-$key-$tag"
		jset "$C/run.json" "$key" "$v"
		if [ "$key" = schema ]; then
			both "json-$key-$tag" 2 "schema" - -
		else
			add "json-$key-$tag" "0|2" - - R0 @B@ report "$C"
		fi
	done
done
for v in null '"x"' '{}'; do
	tag=$(vtag "$v")
	for key in paths.0 paths.0.path paths.0.device paths.0.peer paths.0.locality \
		params.sizes params.iters clock.ns_per_tick command_line.0; do
		rdir "json-$key-$tag"
		jset "$C/run.json" "$key" "$v"
		add "json-$key-$tag" "0|2" - - R0 @B@ report "$C"
	done
done
for v in null 1 '"x"' '[]' 'true'; do
	tag=$(vtag "$v")
	rdir "json-doc-$tag"; printf '%s\n' "$v" >"$C/run.json"
	both "json-doc-$tag" 2 "run\.json" - -
done
rdir json-empty; : >"$C/run.json"
both json-empty 2 "run\.json" - -
rdir json-missing; rm "$C/run.json"
both json-missing 2 "run\.json" - -
rdir json-dir; rm "$C/run.json"; mkdir "$C/run.json"
both json-dir 2 "run\.json" - -
rdir json-fifo; mkfifo_at "$C/run.json"
both json-fifo 2 "run\.json" - -
rdir json-link-fifo; mkfifo "$C/fifo"; rm "$C/run.json"; ln -s fifo "$C/run.json"
both json-link-fifo 2 "run\.json" - -
rdir json-truncated; head -c 300 "$seed/run.json" >"$C/run.json"
both json-truncated 2 "run\.json" - -
rdir json-nul; { head -c 40 "$seed/run.json"; printf '\0'; tail -c +41 "$seed/run.json"; } >"$C/run.json"
both json-nul "0|2" - - R0
rdir json-deep; { rep 100000 '['; rep 100000 ']'; } >"$C/run.json"
both json-deep 2 "run\.json" - -
rdir json-deep-field; { printf '{"schema":"vfbench-run/1","kernel":'; rep 10000 '['; rep 10000 ']'; printf '}'; } >"$C/run.json"
add json-deep-field "0|2" - - R0 @B@ report "$C"
rdir json-dup-schema; sed 's/^{/{"schema":null,/' "$seed/run.json" >"$C/run.json"
both json-dup-schema "0|2" - - R0
rdir json-huge-string; jset "$C/run.json" kernel "\"$(rep 4194304 k)\""
add json-huge-string 0 - - R @B@ report "$C"
rdir json-control-chars; jset "$C/run.json" kernel '"a\u0000b\u001b[31m\u0007\ud800 </td><script>x</script>"'
jset "$C/run.json" host '"\u00ff\ufffe\u0001"'
add json-control-chars 0 - - R @B@ report "$C"
rdir json-invalid-utf8; sed 's/6\.1\.0-56-amd64/\xff\xfe\xc3\x28/' "$seed/run.json" >"$C/run.json"
both json-invalid-utf8 "0|2" - - R0
rdir json-nan; sed 's/"ns_per_tick":1.0/"ns_per_tick":NaN/; s/"rows":72/"rows":-Infinity/' "$seed/run.json" >"$C/run.json"
both json-nan "0|2" - - R0

# --- samples/ (what --until-stable and the percentiles read): one file
# per case, PATH.TEST.SIZE.rREP, one value a line
samples() { # DIR: samples for pf and vf write_lat 4096
	mkdir -p "$1/samples"
	seq 100 1 400 | sed 's/$/.125/' >"$1/samples/pf.write_lat.4096.r1"
	seq 120 1 420 | sed 's/$/.5/' >"$1/samples/vf.write_lat.4096.r1"
}
rdir samples-seed; samples "$C"
both samples-seed 0 - - R
for k in empty nul crlf nan inf negative text long-63 long-64 long-200 huge-line dir \
	fifo link-fifo link-outside link-loop devzero blank-lines; do
	rdir "samples-$k"; samples "$C"
	f=$C/samples/vf.write_lat.4096.r1
	case $k in
	empty) : >"$f" ;;
	nul) printf '1.5\n2\0.5\n3\n' >"$f" ;;
	crlf) sed -i 's/$/\r/' "$f" ;;
	nan) echo nan >>"$f" ;;
	inf) echo inf >>"$f" ;;
	negative) echo -3 >>"$f" ;;
	text) echo 'five' >>"$f" ;;
	long-63) printf '1.%s\n' "$(rep 61 0)" >>"$f" ;;
	long-64) printf '1.%s\n' "$(rep 62 0)" >>"$f" ;;
	long-200) printf '1.%s5\n' "$(rep 197 0)" >>"$f" ;;
	huge-line) rep 1048576 9 >>"$f" ;;
	dir) rm "$f"; mkdir "$f" ;;
	fifo) mkfifo_at "$f" ;;
	link-fifo) mkfifo "$C/fifo"; rm "$f"; ln -s ../fifo "$f" ;;
	link-outside) rm "$f"; ln -s "$(victim samples)" "$f" ;;
	link-loop) rm "$f"; ln -s vf.write_lat.4096.r1 "$f" ;;
	devzero) rm "$f"; ln -s /dev/zero "$f" ;;
	blank-lines) sed -i 'a\\' "$f" ;;
	esac
	both "samples-$k" "0|2" - "$neg" R0,ML
done
rdir samples-dir-is-file; : >"$C/samples"
both samples-dir-is-file "0|2" - - R0,ML
rdir samples-dir-fifo; mkfifo "$C/samples"
both samples-dir-fifo "0|2" - - R0,ML
rdir samples-big; mkdir -p "$C/samples"
# 10^5 samples a side (what --until-stable writes): bounded time
awk 'BEGIN { srand(1); for (i = 0; i < 100000; i++) printf "%.3f\n", 100 + 50 * rand() }' >"$C/samples/pf.write_lat.4096.r1"
awk 'BEGIN { srand(2); for (i = 0; i < 100000; i++) printf "%.3f\n", 110 + 50 * rand() }' >"$C/samples/vf.write_lat.4096.r1"
add samples-big 0 - - R @B@ report "$C"
add samples-big.gate "0|1" - - - @B@ gate -b "$C" -c "$C"
