# What the shell tests share, sourced by each: a scratch folder ($tmp,
# removed on exit), `check NAME COMMAND...` (the command must succeed; on
# failure its output is shown), and `finish`, which prints the closing
# "N passed, N failed" line and sets the exit status.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

check() {
    local name=$1
    shift
    if "$@" >"$tmp/check.out" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $name"
        sed 's/^/    /' "$tmp/check.out" | head -30
    fi
}

finish() {
    echo "$passed passed, $failed failed"
    ((failed == 0))
}
