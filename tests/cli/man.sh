#!/bin/sh
# The manual pages: modelgate(1), which the build generates with `modelgate help
# --man`, is what the binary prints now (not stale) and names every command and
# every option of `modelgate help COMMAND`; both pages render with groff's
# warnings all on (-ww) and with man -l without a word on stderr; `cmake --install`
# puts them under share/man. (docs/man/modelgate-suite.5 is checked against the
# suite reader's tables by tests/test_manual.c.)
. "$(dirname "$0")/common.inc"

build=$(dirname "$bin")
: >"$scratch/options"
page1=$build/man/modelgate.1
page5=$src/docs/man/modelgate-suite.5
for tool in groff man; do
  command -v $tool >/dev/null 2>&1 ||
    fail "$tool is not installed (scripts/install-deps installs groff-base and man-db)"
done

run "$scratch/now.1" "$scratch/now.err" "$bin" help --man
expect_status 0 "help --man"
empty "$scratch/now.err" "help --man: stderr"
same "$page1" "$scratch/now.1" "build/man/modelgate.1 vs modelgate help --man"

# Every command and every option the help lists is in the page.
"$bin" help | sed -n 's/^  modelgate \([a-z][a-z-]*\).*/\1/p' >"$scratch/commands"
[ -s "$scratch/commands" ] || fail "no commands read from modelgate help"
while read -r cmd; do
  contains "$page1" "\\fBmodelgate $cmd\\fR" "modelgate.1: command $cmd"
  "$bin" help "$cmd" | sed -n 's/^  [ -][a-z ][ ,] --\([a-z][a-z-]*\).*/\1/p' \
    >>"$scratch/options"
done <"$scratch/commands"
grep -q '^no-step-summary$' "$scratch/options" || fail "no options read from the help"
while read -r opt; do
  contains "$page1" "\\fB\\-\\-$(printf '%s' "$opt" | sed 's/-/\\-/g')\\fR" \
    "modelgate.1: option --$opt"
done <"$scratch/options"

# Rendered without warnings, in a UTF-8 locale and in C.
for page in "$page1" "$page5"; do
  name=$(basename "$page")
  groff -man -ww -z -K utf8 "$page" >"$scratch/$name.groff" 2>&1 ||
    fail "$name: groff failed"
  empty "$scratch/$name.groff" "$name: groff -man -ww warnings"
  for locale in C.UTF-8 C; do
    LC_ALL=$locale MANWIDTH=80 man -l "$page" >"$scratch/$name.txt" 2>"$scratch/$name.err"
    status=$?
    expect_status 0 "man -l $name ($locale)"
    empty "$scratch/$name.err" "man -l $name ($locale): stderr"
    [ "$(wc -l <"$scratch/$name.txt")" -gt 40 ] || fail "man -l $name: short page"
  done
done
contains "$scratch/modelgate.1.txt" "EXIT STATUS" "modelgate.1 rendered"
contains "$scratch/modelgate-suite.5.txt" "bootstrap" "modelgate-suite.5 rendered"

# make install puts them where man finds them.
cmake --install "$build" --prefix "$scratch/prefix" >"$scratch/install.out" 2>&1 ||
  fail "cmake --install: $(tail -n 3 "$scratch/install.out")"
for p in share/man/man1/modelgate.1 share/man/man5/modelgate-suite.5; do
  [ -f "$scratch/prefix/$p" ] || fail "not installed: $p"
done
MANPATH=$scratch/prefix/share/man MANWIDTH=80 man modelgate-suite >"$scratch/installed.txt" \
  2>"$scratch/installed.err" || fail "man modelgate-suite from the installed tree"
contains "$scratch/installed.txt" "MODELGATE-SUITE(5)" "installed modelgate-suite(5)"

finish
