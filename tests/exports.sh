#!/bin/sh
# Only what the public headers declare is exported: the symbols libmodelgate.so
# defines in its dynamic symbol table must be exactly those the headers in
# include/modelgate/ (and the generated modelgate/version.h) declare MG_EXTERN.
# An extra symbol is an internal leaking into the ABI (a function missing `static`
# or built without the hidden default visibility); a missing one is a public
# declaration whose definition is not compiled or not marked.
#
#   sh tests/exports.sh CC NM LIBMODELGATE.so SCRATCH_DIR INCLUDE_DIR...
#
# The headers are read through the C preprocessor with MG_BUILDING defined, as the
# library's own sources see them, so comments, #if blocks and macros are read as the
# compiler reads them: a declaration is public when it carries the visibility
# attribute MG_EXTERN expands to. POSIX sh and POSIX tools, with nm from binutils.
set -eu

if [ $# -lt 5 ]; then
  echo "usage: sh $0 CC NM LIBMODELGATE.so SCRATCH_DIR INCLUDE_DIR..." >&2
  exit 2
fi
cc=$1 nm=$2 lib=$3 scratch=$4
shift 4
rm -rf "$scratch"
mkdir -p "$scratch"

# One translation unit including every public header, compiled with -I for each
# include directory.
: >"$scratch/all.c"
for dir do
  for h in "$dir"/modelgate/*.h; do
    [ -f "$h" ] || continue
    printf '#include "modelgate/%s"\n' "$(basename "$h")" >>"$scratch/all.c"
  done
  set -- "$@" "-I$dir"
  shift
done
"$cc" -E -P -DMG_BUILDING "$@" "$scratch/all.c" >"$scratch/all.i"

# Declarations end at ';'. Of those carrying visibility("default"), keep the
# identifier before the first '(' (a function), or the last identifier (an object).
tr '\n' ' ' <"$scratch/all.i" | tr ';' '\n' |
  grep 'visibility *( *"default" *)' |
  sed -e 's/.*visibility *( *"default" *) *) *)//' \
    -e 's/^\([^(]*\)(.*/\1/' \
    -e 's/\[[^]]*\]//g' \
    -e 's/.*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\) *$/\1/' |
  sort -u >"$scratch/declared"

# Defined dynamic symbols, without the ones the linker itself adds.
"$nm" -D --defined-only "$lib" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' |
  grep -v -x -e _init -e _fini -e _edata -e _end -e __bss_start |
  sort -u >"$scratch/exported"

if [ ! -s "$scratch/declared" ]; then
  echo "exports: found no MG_EXTERN declaration in the headers" >&2
  exit 1
fi
comm -13 "$scratch/declared" "$scratch/exported" >"$scratch/extra"
comm -23 "$scratch/declared" "$scratch/exported" >"$scratch/missing"
status=0
if [ -s "$scratch/extra" ]; then
  echo "exports: $(basename "$lib") exports symbols no public header declares MG_EXTERN:" >&2
  sed 's/^/  /' "$scratch/extra" >&2
  status=1
fi
if [ -s "$scratch/missing" ]; then
  echo "exports: declared MG_EXTERN in a public header but not exported by $(basename "$lib"):" >&2
  sed 's/^/  /' "$scratch/missing" >&2
  status=1
fi
[ "$status" -eq 0 ] &&
  echo "exports: ok ($(wc -l <"$scratch/exported" | tr -d ' ') symbols, each declared)"
exit "$status"
