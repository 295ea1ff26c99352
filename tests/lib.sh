# lib.sh -- what the shell tests share: counters, assertions, the closing line. Source it.
# Each assertion prints "ok" or "FAIL" with what was compared; finish prints
# "N passed, N failed, N skipped" and exits non-zero on any failure.
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
skipped() { skip=$((skip + 1)); echo "skip $*"; }

# eq WHAT GOT WANT
eq() { if [ "$2" == "$3" ]; then ok "$1 = $3"; else bad "$1 = '$2', want '$3'"; fi; }

# positive WHAT VALUE: a finite number above zero
positive() {
	if awk -v v="$2" 'BEGIN { exit !(v + 0 > 0 && v + 0 < 1e300) }'; then ok "$1 = $2 > 0"; else bad "$1 = '$2', want finite > 0"; fi
}

# near WHAT GOT WANT TOL
near() {
	if awk -v g="$2" -v w="$3" -v t="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(g != "" && d <= t) }'; then
		ok "$1 = $2 (~$3)"
	else
		bad "$1 = '$2', want $3 +- $4"
	fi
}

# expect CODE PATTERN -- CMD...: the exit status, PATTERN (grep -E) on stderr, and for usage
# errors (2) exactly one line of it
expect() {
	local code=$1 pat=$2
	shift 3
	local err rc
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -ne "$code" ]; then
		bad "$* -> exit $rc, want $code; stderr: $err"
	elif ! grep -qE -- "$pat" <<<"$err"; then
		bad "$* -> stderr '$err' lacks /$pat/"
	elif [ "$code" -eq 2 ] && [ "$(printf '%s\n' "$err" | grep -c .)" -ne 1 ]; then
		bad "$* -> want exactly one line on stderr, got: $err"
	else
		ok "$* -> $rc"
	fi
}

finish() {
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit
}
