#!/usr/bin/env bash
# Shared by the make test stages (source it).

# collection_tree DEST [PATH...]: copy the tracked files (and new files that are not ignored, so uncommitted work is
# checked too) to DEST/ansible_collections/certops/cloud, the layout ansible-test and antsibull-docs need; prints that
# path. PATHs (optional) limit the copy to those files and directories.
collection_tree() {
  local root dest
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  dest=$1/ansible_collections/certops/cloud
  shift
  mkdir -p "$dest"
  (cd "$root" && git ls-files -z --cached --others --exclude-standard -- "$@") |
    (cd "$root" && while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
    (cd "$root" && xargs -0 cp --parents -t "$dest")
  printf '%s\n' "$dest"
}
