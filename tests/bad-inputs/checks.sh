# Helpers for the catalogue's `check` scripts (sourced: . "$MG_CHECKS"). Each returns
# non-zero with a message on stderr when its check fails.

die() {
  echo "$*" >&2
  exit 1
}

# A JSON file that a strict parser reads: jq, else Python, else Perl's JSON::PP (which
# every Debian with build-essential has).
json_valid() {
  [ -s "$1" ] || die "$1: missing or empty"
  if command -v jq >/dev/null 2>&1; then
    jq -e . "$1" >/dev/null 2>&1 || die "$1: not valid JSON (jq)"
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$1" \
      2>/dev/null || die "$1: not valid JSON (python3)"
  else
    perl -MJSON::PP -e 'local $/; open my $f, "<", $ARGV[0] or die;
      JSON::PP->new->utf8->decode(<$f>)' "$1" 2>/dev/null ||
      die "$1: not valid JSON (JSON::PP)"
  fi
}

# A well-formed JUnit file valid against the project's schema (tests/junit.xsd).
junit_valid() {
  [ -s "$1" ] || die "$1: missing or empty"
  xmllint --noout --schema "$MG_SOURCE_DIR/tests/junit.xsd" "$1" 2>/dev/null ||
    die "$1: not valid against tests/junit.xsd"
}

# The file holds the fixed string.
has() {
  grep -qF -- "$2" "$1" || die "$1: no '$2'"
}

# stdout of the run holds the fixed string.
stdout_has() {
  grep -qF -- "$1" "$MG_STDOUT" || die "stdout: no '$1'"
}
