# gate --rules files, and gate's own verdicts on hostile candidates
# (sourced by make-corpus).
# shellcheck shell=bash

rules() { # NAME WANT MUST MUSTNOT: gate the seed against itself with $C/rules
	add "$1" "$2" "$3" "$4" - @B@ gate -b "$seed" -c "$seed" --rules "$C/rules" --junit "$C/junit.xml"
}
ok='relative lat_p50_us +5%'

dir rules-seed; printf '%s\n' "$ok" 'no-error-rows' >"$C/rules"
rules rules-seed 0 "0 failed" -
dir rules-empty; : >"$C/rules"
rules rules-empty 2 "rules" -
dir rules-blank; printf '\n\n  \n\t\n' >"$C/rules"
rules rules-blank 2 "rules" -
dir rules-comments-only; printf '# nothing\n' >"$C/rules"
rules rules-comments-only "0|2" - -
dir rules-dir; mkdir "$C/rules"
rules rules-dir 2 "rules" -
dir rules-fifo; mkfifo "$C/rules"
rules rules-fifo 2 "rules" -
dir rules-link-fifo; mkfifo "$C/fifo"; ln -s fifo "$C/rules"
rules rules-link-fifo 2 "rules" -
dir rules-devzero; ln -s /dev/zero "$C/rules"
rules rules-devzero 2 "rules" -
dir rules-missing
rules rules-missing 2 "rules" -
dir rules-no-newline; printf '%s' "$ok" >"$C/rules"
rules rules-no-newline 0 - -
dir rules-crlf; printf '%s\r\nno-error-rows\r\n' "$ok" >"$C/rules"
rules rules-crlf "0|2" - -
# a NUL must not hide the rule after it (here one that fails): read the
# whole file or refuse it, never pass
dir rules-nul; printf 'absolute lat_p50_us >= 0\0\nabsolute lat_p50_us <= 0\n' >"$C/rules"
rules rules-nul "1|2" - -
dir rules-nul-mid-line; printf 'absolute lat_p50_us <= 1e9\0 test=write_lat\nabsolute lat_p50_us <= 0\n' >"$C/rules"
rules rules-nul-mid-line "1|2" - -
dir rules-invalid-utf8; printf 'relative lat_p50_us +5%% test=\xff\xfe\n' >"$C/rules"
rules rules-invalid-utf8 2 "rule 1|line 1|\\\\xff|test=" -
dir rules-control; printf 'relative lat_p50_us +5%% test=\x1b[31m\n' >"$C/rules"
rules rules-control 2 "rule 1|line 1|test=" -

# numbers that are not limits
for r in 'relative lat_p50_us nan%' 'relative lat_p50_us inf%' 'relative lat_p50_us -inf%' \
	'relative lat_p50_us +1e999%' 'relative lat_p50_us 0x5%' 'relative lat_p50_us +5' \
	'absolute lat_p50_us <= nan' 'absolute lat_p50_us >= nan' 'absolute lat_p50_us <= inf' \
	'absolute lat_p50_us <= 1e999' 'absolute lat_p50_us >= -inf' 'absolute lat_p50_us <= ' \
	'absolute lat_p50_us == 5' 'absolute lat_p50_us <= 5x' 'relative nosuch_metric +5%' \
	'relative lat_p50_us +5% size=2' 'frobnicate lat_p50_us +5%' 'relative' 'no-error-rows extra'; do
	j=$((${j:-0} + 1)); tag=$j-$(printf '%s' "$r" | tr -c 'a-zA-Z0-9+.-' '_')
	dir "rule-$tag"; printf '%s\n' "$r" >"$C/rules"
	rules "rule-$tag" 2 "rule 1|line 1" -
done

# filters that match nothing are errors, not "0 checks"
for r in 'relative lat_p50_us +5% test=wirte_lat' 'relative lat_p50_us +5% path=xf' \
	'no-error-rows test=nosuch' \
	'relative lat_p50_us +5% test=' "relative lat_p50_us +5% test=$(rep 1000000 w)" \
	"relative lat_p50_us +5% path=$(rep 1000000 p)" \
	"relative lat_p50_us +5% test=write_lat$(rep 1000000 x)" \
	"relative lat_p50_us +5% test=$(rep 15 w)" "relative lat_p50_us +5% test=$(rep 16 w)" \
	"relative lat_p50_us +5% test=$(rep 200 w)"; do
	j=$((${j:-0} + 1)); tag=$j-$(printf '%s' "${r:20:30}" | tr -c 'a-zA-Z0-9+.-' '_')
	dir "rule-nomatch-$tag"; printf '%s\n' "$r" >"$C/rules"
	rules "rule-nomatch-$tag" 2 "rule 1|line 1|match|test=|path=" "0 checks"
done
# a filter cut at a buffer must not match a shorter name
dir rule-cut-filter; printf 'absolute lat_p50_us <= 0 test=write_lat%s\n' "$(rep 200 x)" >"$C/rules"
rules rule-cut-filter 2 "rule 1|line 1" "FAIL"

# sizes of lines and counts of rules, at and past the limits
for n in 31 32 33 1000; do
	dir "rules-count-$n"; yes "$ok" | head -n "$n" >"$C/rules"
	if [ "$n" -le 32 ]; then rules "rules-count-$n" 0 - -; else
		rules "rules-count-$n" 2 "rules|$n|32" "cannot read"; fi
done
for len in 126 127 128 129 1000 100000; do
	dir "rules-line-$len"
	printf 'relative lat_p50_us +5%% test=write_lat%s\n' "$(rep "$len" ' ')" >"$C/rules"
	rules "rules-line-$len" "0|2" - -
done
dir rules-metric-long; printf 'relative %s +5%%\n' "$(rep 100 l)" >"$C/rules"
rules rules-metric-long 2 "rule 1|line 1" -
dir rules-line-huge; { printf 'relative lat_p50_us +5%% test=write_lat '; rep 8388608 ' '; echo; } >"$C/rules"
rules rules-line-huge "0|2" - -
dir rules-file-huge; yes '# a comment' | head -n 500000 >"$C/rules"; echo "$ok" >>"$C/rules"
rules rules-file-huge "0|2" - -

# candidates: error rows fail the default no-error-rows, in the table and
# in JUnit (never a skip)
rdir gate-error-rows; cell "$C/results.csv" 3 status error; cell "$C/results.csv" 3 error "lost"
add gate-error-rows 1 "FAIL" "skip.*no-error" J @B@ gate -b "$seed" -c "$C" --junit "$C/junit.xml"
add gate-error-rows-rule 1 "FAIL" "skip.*no-error" J @B@ gate -b "$seed" -c "$C" --rules "$out/c/rules-seed/rules" --junit "$C/junit.xml"
rdir gate-all-error; cell "$C/results.csv" all status error; cell "$C/results.csv" all error "$(csvq 'a "quoted" <error> & ]]>')"
add gate-all-error "1|2" - - - @B@ gate -b "$seed" -c "$C" --junit "$C/junit.xml"
# (--junit naming a FIFO is the user's own: a reader may be waiting, as
# with /dev/stdout; not a case)
rdir gate-junit-dir; mkdir "$C/junit.xml"
add gate-junit-dir 2 "junit" - - @B@ gate -b "$seed" -c "$seed" --junit "$C/junit.xml"
