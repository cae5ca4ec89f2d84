# compare's value files, and the command line's nonsense that must be
# refused (exit 2, one line) before any device is looked up (sourced by
# make-corpus).
# shellcheck shell=bash

dir compare-seed
printf '10\n11\n10.5\n10.2\n10.8\n10.1\n10.4\n' >"$C/a"
printf '12\n12.5\n12.2\n11.9\n12.8\n12.1\n12.4\n' >"$C/b"
good=$C/a
add compare-seed 0 "slower|faster|difference" - - @B@ compare "$C/a" "$C/b" --lower-is-better
for k in empty blank dir fifo link-fifo devzero missing nul crlf nan inf -inf negative \
	1e309 hex text long-127 long-128 long-200 huge-line one invalid-utf8 cr-only; do
	dir "compare-$k"
	f=$C/b
	case $k in
	empty) : >"$f" ;;
	blank) printf '\n\n \n' >"$f" ;;
	dir) mkdir "$f" ;;
	fifo) mkfifo "$f" ;;
	link-fifo) mkfifo "$C/fifo"; ln -s fifo "$f" ;;
	devzero) ln -s /dev/zero "$f" ;;
	missing) ;;
	nul) printf '12\n12\0.5\n13\n14\n' >"$f" ;;
	crlf) printf '12\r\n12.5\r\n12.2\r\n11.9\r\n12.8\r\n' >"$f" ;;
	nan | inf | -inf | 1e309) printf '12\n12.5\n%s\n12.2\n11.9\n' "$k" >"$f" ;;
	negative) printf '12\n-12.5\n12.2\n11.9\n12.8\n' >"$f" ;;
	hex) printf '0x10\n0x11\n0x12\n0x13\n0x14\n' >"$f" ;;
	text) printf '12\ntwelve\n' >"$f" ;;
	long-127) printf '12\n1.%s\n12.2\n11.9\n12.8\n' "$(rep 125 0)" >"$f" ;;
	long-128) printf '12\n1.%s\n12.2\n11.9\n12.8\n' "$(rep 126 0)" >"$f" ;;
	long-200) printf '12\n1.%s5\n12.2\n11.9\n12.8\n' "$(rep 197 0)" >"$f" ;;
	huge-line) rep 4194304 9 >"$f" ;;
	one) echo 12 >"$f" ;;
	invalid-utf8) printf '12\n\xff\xfe\n' >"$f" ;;
	cr-only) printf '12\r12.5\r12.2\r11.9\r12.8\r' >"$f" ;;
	esac
	case $k in
	crlf | hex | long-127 | long-128 | long-200 | negative | cr-only | nul) want="0|2" must=- ;;
	dir) want=2 must="$f.*([Dd]irector|regular|not a file)" ;;
	one) want=0 must="no verdict" ;; # one round: the estimate, no verdict
	*) want=2 must="$f|compare" ;;
	esac
	add "compare-$k" "$want" "$must" "too few values.*dir|-[0-9]+ values" - @B@ compare "$good" "$f"
done
dir compare-big
awk 'BEGIN { srand(3); for (i = 0; i < 1000000; i++) printf "%.3f\n", 10 + rand() }' >"$C/a"
awk 'BEGIN { srand(4); for (i = 0; i < 1000000; i++) printf "%.3f\n", 10.2 + rand() }' >"$C/b"
add compare-big 0 - - - @B@ compare "$C/a" "$C/b" --series

# the command line: nonsense refused before the device lookup (exit 2,
# not 3), outputs checked before anything is measured
dir cli; : >"$C/file"; mkdir -p "$C/dir" "$C/taken"; cp "$seed/results.csv" "$seed/run.json" "$C/taken/"
cli() { add "$1" 2 "$2" "unknown RDMA device" - @B@ "${@:3}"; }
cli cli-run-D-nan "-D" run -d nosuch0 --peer h -D nan
cli cli-run-D-inf "-D" run -d nosuch0 --peer h -D inf
cli cli-run-D-neg "-D" run -d nosuch0 --peer h -D -1
cli cli-run-stable-nan "until-stable" run -d nosuch0 --peer h --until-stable nan
cli cli-run-stable-inf "until-stable" run -d nosuch0 --peer h --until-stable inf
cli cli-run-sizes-empty "-s|size" run -d nosuch0 --peer h -s 2,,4
cli cli-run-sizes-trailing "-s|size" run -d nosuch0 --peer h -s 2,
cli cli-run-sizes-huge "-s|size" run -d nosuch0 --peer h -s 99999999999999999999
cli cli-run-out-file "--out" run -d nosuch0 --peer h --out "$C/file"
cli cli-run-out-taken "--out" run -d nosuch0 --peer h --out "$C/taken"
cli cli-run-json-dir "--json" run -d nosuch0 --peer h --json "$C/dir"
cli cli-share-out-taken "--out" share fairness -d nosuch0,nosuch1 --peer h --out "$C/taken"
cli cli-share-out-file "--out" share fairness -d nosuch0,nosuch1 --peer h --out "$C/file"
cli cli-share-D-nan "-D" share fairness -d nosuch0,nosuch1 --peer h -D nan
cli cli-mesh-D-nan "-D|duration" mesh -D nan
cli cli-mesh-flag-nan "flag-latency" mesh --flag-latency nan
cli cli-report-ref-nan "ref-size" report --ref-size nan "$C/taken"
cli cli-compare-threshold-nan "threshold" compare --threshold nan "$good" "$good"
cli cli-doctor-vfs-huge "vfs" doctor --vfs 99999999999999999999
cli cli-setup-n-huge "num-vfs" setup plan --pf 0000:03:00.0 -n 99999999999999999999 --fsroot "$sys/mlx5-pf-vfs"
cli cli-arg-huge "." gate -b "$(rep 100000 b)" -c "$seed"
cli cli-filter-arg-huge "." report "$seed/$(rep 100000 x)"
