#!/usr/bin/env bash
# Walks the seed meeting through with `gavel do`, one command a line of
# tests/walkthrough/mali.txt, each at its own time (GAVEL_NOW), then prints the
# state. A command written `!command` must be refused (exit 3).
# Usage: tests/walkthrough/run.sh [GAVEL BINARY] [LOG DIR]
# With GAVEL_STORE=postgres://… the journal is kept in that PostgreSQL store
# (made with gavel store init), which must not hold the meeting yet; the
# session log and the exports are written in the log folder all the same.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
gavel=${1:-$top/target/release/gavel}
# Each run gets a fresh log folder, so the walk-through can be run again and again.
export GAVEL_LOG_DIR=${2:-$top/logs/walkthrough-$(date -u +%Y%m%dT%H%M%SZ)}
meeting=$top/config/mali-ministerial-2017.toml
journal=$GAVEL_LOG_DIR/mali-ministerial-2017
if [ -e "$journal" ]; then
  echo "$journal exists: a walk-through runs on a fresh log folder; move it aside first" >&2
  exit 1
fi
store=${GAVEL_STORE:-files}
if [ "$store" != files ]; then
  # A store is not made afresh with the log folder: it must not hold the meeting yet.
  held=$("$gavel" tail --json "$meeting" | wc -l)
  if [ "$held" -ne 0 ]; then
    echo "the store (GAVEL_STORE) already holds $held events of mali-ministerial-2017: a walk-through runs on a meeting not begun; use another database (gavel store init it first)" >&2
    exit 1
  fi
fi
while read -r time operator command; do
  case "$time" in ''|'#'*) continue ;; esac
  expect=0
  if [ "${command#!}" != "$command" ]; then expect=3; command=${command#!}; fi
  set +e
  # shellcheck disable=SC2086 # the command's words are split as a shell would
  GAVEL_NOW="2017-09-20T${time}-04:00" "$gavel" do "$meeting" --operator "$operator" $command
  rc=$?
  set -e
  if [ "$rc" -ne "$expect" ]; then
    echo "walk-through: '$command' at $time exited $rc, expected $expect" >&2
    exit 1
  fi
done < "$here/mali.txt"
GAVEL_NOW="2017-09-20T16:40:00-04:00" "$gavel" state "$meeting"
echo
if [ "$store" = files ]; then
  echo "journal and session log: $journal"
else
  echo "journal: in the store (GAVEL_STORE); session log and exports: $journal"
fi
