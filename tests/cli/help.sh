#!/bin/sh
# End to end: the help cannot drift from the parser or from the README. The CLI
# generates its help from its tables (cli/help.c); here we check that what it
# prints is what it does: README.md's "Commands" block is exactly `modelgate help`;
# `--help` and `-h` print the same; for every command, `modelgate help COMMAND`
# and `modelgate COMMAND --help` agree, its usage line and its option list name
# the same options, every option listed is accepted by the parser with a value of
# the kind the help names, and every range the help states is the one the parser
# enforces. An unknown help topic is a usage error.
# shellcheck source=SCRIPTDIR/common.inc
. "$(dirname "$0")/common.inc"

# --- modelgate help, and README.md ----------------------------------------------------
run "$scratch/help" "$scratch/help.err" "$bin" help
expect_status 0 "help"
empty "$scratch/help.err" "help: stderr"
for alias in --help -h; do
  run "$scratch/help$alias" "$scratch/help$alias.err" "$bin" "$alias"
  expect_status 0 "$alias"
  same "$scratch/help" "$scratch/help$alias" "help vs $alias"
done
# The first code block of README.md's "## Commands" section.
awk '/^## /{ section = $0 } section == "## Commands" && /^```/ { n++; next }
  section == "## Commands" && n == 1' "$src/README.md" >"$scratch/readme"
[ -s "$scratch/readme" ] || fail "README.md: no code block under '## Commands'"
same "$scratch/readme" "$scratch/help" \
  "README.md's Commands block vs modelgate help (paste the output of 'modelgate help')"

# --- one command's help -------------------------------------------------------------
commands=$(sed -n 's/^  modelgate \([a-z][a-z-]*\).*/\1/p' "$scratch/help")
[ -n "$commands" ] || fail "help: no commands listed"
for cmd in $commands; do
  out=$scratch/$cmd
  run "$out.help" "$out.err" "$bin" help "$cmd"
  expect_status 0 "help $cmd"
  empty "$out.err" "help $cmd: stderr"
  head -n 1 "$out.help" | grep -q "^usage: modelgate $cmd\( \|\$\)" ||
    fail "help $cmd: first line is not its usage: $(head -n 1 "$out.help")"
  grep -q '^options:$' "$out.help" || continue

  for flag in --help -h; do
    run "$out.flag" "$out.flag.err" "$bin" "$cmd" "$flag"
    expect_status 0 "$cmd $flag"
    same "$out.help" "$out.flag" "help $cmd vs $cmd $flag"
  done

  # The option list, one line per option: name, value ("-" for none) and the range
  # its help states ("-" for none).
  awk '
    function put() {
      if (opt != "")
        print opt, arg, (match(text, /\[[0-9]+, [0-9]+\]/) ? substr(text, RSTART, RLENGTH) : "-")
    }
    /^options:$/ { on = 1; next }
    on && /^  (-., |    )--[a-z]/ {
      put(); s = substr($0, 7); i = index(s, "  "); n = split(substr(s, 1, i - 1), w, " ")
      opt = w[1]; arg = (n > 1 ? w[2] : "-"); text = substr(s, i); next
    }
    on { text = text " " $0 }
    END { put() }' "$out.help" >"$out.options"
  [ -s "$out.options" ] || fail "help $cmd: no options read from its option list"

  # The usage line (up to the blank line) and the option list name the same
  # options; --help is listed but not in the usage line.
  awk '/^$/ { exit } { for (i = 1; i <= NF; i++) if (match($i, /--[a-z][a-z-]*/))
    print substr($i, RSTART, RLENGTH) }' "$out.help" | sort >"$out.usage"
  awk '$1 != "--help" { print $1 }' "$out.options" | sort >"$out.listed"
  same "$out.usage" "$out.listed" "help $cmd: usage line vs option list"

  # The run gets as far as reading its (missing) first input: a suite, the two
  # reports diff compares, or for drift, whose files are options, the data sets.
  if head -n 1 "$out.help" | grep -q "^usage: modelgate $cmd BASE.json HEAD.json"; then
    set -- nosuch.json nosuch.json
    missing="modelgate: nosuch.json: No such file or directory"
  elif head -n 1 "$out.help" | grep -q 'SUITE\.yaml'; then
    set -- nosuch.yaml
    missing="nosuch.yaml: cannot open suite file"
  else
    set -- --reference nosuch.csv --current nosuch.csv
    missing="nosuch.csv: No such file or directory"
  fi
  base="$*"

  while read -r opt arg range; do
    # Every listed option is accepted, with a value of the kind its help names: the
    # run gets as far as reading the (missing) suite file.
    case $arg in
    N)
      # the smallest value the stated range allows, else 1
      low=1
      [ "$range" = - ] || { low=${range#\[}; low=${low%%,*}; }
      set -- "$opt" "$low"
      ;;
    SIZE) set -- "$opt" 1G ;;
    A,B,C | NAME) set -- "$opt" x ;;
    D | X) set -- "$opt" 0 ;;
    P) set -- "$opt" 0.8 ;;
    F) set -- "$opt" "$scratch/report.$cmd.${opt#--}" ;;
    FILE) set -- "$opt" nosuch.csv ;;
    - | '[F]') set -- "$opt" ;;
    *)
      fail "help $cmd: $opt takes a value named '$arg', which this test cannot make"
      continue
      ;;
    esac
    [ "$opt" = --help ] && continue
    # shellcheck disable=SC2086 # base is words
    (cd "$scratch" && "$bin" "$cmd" $base "$@") >"$out.opt" 2>"$out.opt.err"
    status=$?
    expect_status 2 "$cmd $base $*"
    contains "$out.opt.err" "$missing" "$cmd $base $*"
    empty "$out.opt" "$cmd $base $*: stdout"

    # A range the help states is the one the parser enforces.
    [ "$range" = - ] && continue
    # shellcheck disable=SC2086
    run "$out.range" "$out.range.err" "$bin" "$cmd" $base "$opt" x
    expect_status 2 "$cmd $opt x"
    contains "$out.range.err" "modelgate: $opt: expected an integer in $range, got 'x'" \
      "$cmd $opt x (help says $range)"
  done <"$out.options"
done
grep -q '^--replicates N \[1, ' "$scratch/run.options" ||
  fail "help run: --replicates and its range not read from the option list"

# --- misuse -------------------------------------------------------------------------
run "$scratch/bogus" "$scratch/bogus.err" "$bin" help bogus
expect_status 2 "help bogus"
empty "$scratch/bogus" "help bogus: stdout"
contains "$scratch/bogus.err" "modelgate: unknown command 'bogus' (modelgate help)" \
  "help bogus"
run "$scratch/extra" "$scratch/extra.err" "$bin" help run validate
expect_status 2 "help run validate"
contains "$scratch/extra.err" "modelgate: unexpected argument 'validate' (modelgate help)" \
  "help run validate"

finish
