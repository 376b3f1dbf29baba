#!/usr/bin/env bash
# Renders every overlay in k8s/overlays/ and validates the result. Needs no cluster.
#   bash k8s/validate.sh
#
# 1. kustomize: $LOGIS_CACHE/bin/kustomize, installed with `go install` from the Go module proxy on
#    the first run (then reused); `kubectl kustomize` if Go cannot install it.
# 2. Schema validation, the first that works:
#    a. kubeconform (go install), with schemas from $KUBECONFORM_SCHEMA_LOCATION if set, else from
#       its default location on GitHub, when that is reachable;
#    b. kubernetes-validate (PyPI, ships the Kubernetes JSON schemas) in a venv in $LOGIS_CACHE;
#    c. none: said so, and the structural checks below still run.
# 3. Structural checks (k8s/check_manifests.py): security context, probes, resources, labels, ...
#
# An overlay whose secretGenerator reads a git-ignored env file (production/secrets.env) is rendered
# in a scratch copy with the committed secrets.env.example in its place.
# Exits non-zero on any failure. Environment: LOGIS_CACHE (default ~/.cache/logis),
# K8S_VERSION (schema version, default 1.33.0), KUBECONFORM_SCHEMA_LOCATION.
set -euo pipefail

K8S_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${LOGIS_CACHE:-$HOME/.cache/logis}"
BIN_DIR="$CACHE_DIR/bin"
KUSTOMIZE_VERSIONS=(v5.7.1 v5.7.0 v5.6.0)
KUBECONFORM_VERSION="v0.7.0"
KUBERNETES_VALIDATE_VERSION="1.37.0"
K8S_VERSION="${K8S_VERSION:-1.33.0}"
export GOTOOLCHAIN=local CGO_ENABLED=0

log() { printf '\033[1;34m[k8s]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[k8s] %s\033[0m\n' "$*" >&2; exit 1; }

mkdir -p "$BIN_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# go_installed_version BIN: the module version `go install` recorded in BIN ("" when unknown).
go_installed_version() {
  command -v go >/dev/null 2>&1 || return 0
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

# go_install NAME PACKAGE VERSION: installs PACKAGE@VERSION into $BIN_DIR unless that version is there.
go_install() {
  local name="$1" pkg="$2" version="$3" have
  if [[ -x "$BIN_DIR/$name" ]]; then
    have="$(go_installed_version "$BIN_DIR/$name")"
    if [[ -z "$have" || "$have" == "$version" ]]; then return 0; fi
  fi
  command -v go >/dev/null 2>&1 || return 1
  log "go install $pkg@$version (into $BIN_DIR)"
  local start=$SECONDS
  if GOBIN="$BIN_DIR" go install "$pkg@$version" >"$WORK/go-install-$name.log" 2>&1; then
    log "installed $name $version in $((SECONDS - start)) s"
  else
    tail -n 5 "$WORK/go-install-$name.log" >&2
    return 1
  fi
}

# --- 1. kustomize -------------------------------------------------------------------------------
KUSTOMIZE=()
for v in "${KUSTOMIZE_VERSIONS[@]}"; do
  if go_install kustomize sigs.k8s.io/kustomize/kustomize/v5 "$v"; then
    KUSTOMIZE=("$BIN_DIR/kustomize" build)
    log "kustomize: $BIN_DIR/kustomize $("$BIN_DIR/kustomize" version 2>/dev/null)"
    break
  fi
done
if ((${#KUSTOMIZE[@]} == 0)); then
  if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
    KUSTOMIZE=(kubectl kustomize)
    log "kustomize: could not go install it; using kubectl kustomize"
  else
    die "no kustomize: go install failed and kubectl is not installed"
  fi
fi

# --- 2. render ----------------------------------------------------------------------------------
# A scratch copy, so that a missing git-ignored secrets env file can be stood in for.
cp -R "$K8S_DIR" "$WORK/k8s"
overlays=()
for dir in "$WORK"/k8s/overlays/*/; do
  overlay="$(basename "$dir")"
  for example in "$dir"*.env.example; do
    [[ -e "$example" ]] || continue
    real="${example%.example}"
    if [[ ! -e "$real" ]]; then
      cp "$example" "$real"
      log "$overlay: $(basename "$real") is not present (git-ignored); rendering with $(basename "$example")"
    fi
  done
  log "$overlay: rendering with ${KUSTOMIZE[*]}"
  "${KUSTOMIZE[@]}" "$dir" >"$WORK/$overlay.yaml" || die "$overlay: kustomize failed"
  log "$overlay: $(grep -c '^kind:' "$WORK/$overlay.yaml") objects"
  overlays+=("$overlay")
done
((${#overlays[@]} > 0)) || die "no overlay in $K8S_DIR/overlays"

# --- 3. schema validation -----------------------------------------------------------------------
SCHEMA=""
location_args=()
if go_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"; then

  [[ -n "${KUBECONFORM_SCHEMA_LOCATION:-}" ]] && location_args=(-schema-location "$KUBECONFORM_SCHEMA_LOCATION")
  printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: probe\n' >"$WORK/probe.yaml"
  if timeout 60 "$BIN_DIR/kubeconform" "${location_args[@]}" -kubernetes-version "$K8S_VERSION" \
    "$WORK/probe.yaml" >"$WORK/kubeconform-probe.log" 2>&1; then
    SCHEMA=kubeconform
  else
    log "kubeconform is installed but cannot load its schemas; falling back. It said:"
    head -n 1 "$WORK/kubeconform-probe.log" | cut -c1-300
  fi
else
  log "kubeconform could not be installed; falling back"
fi

PY_WITH_YAML=""
python3 -c 'import yaml' 2>/dev/null && PY_WITH_YAML=python3

if [[ -z "$SCHEMA" ]]; then
  venv="$CACHE_DIR/venv-kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
  if [[ ! -x "$venv/bin/kubernetes-validate" ]]; then
    log "pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION (into $venv)"
    rm -rf "$venv"
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check \
      "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"; } >"$WORK/pip.log" 2>&1; then
      tail -n 5 "$WORK/pip.log" >&2
      rm -rf "$venv"
    fi
  fi
  if [[ -x "$venv/bin/kubernetes-validate" ]]; then
    SCHEMA=kubernetes-validate
    [[ -n "$PY_WITH_YAML" ]] || PY_WITH_YAML="$venv/bin/python"
  else
    log "no schema validator available: only the structural checks run"
  fi
fi
[[ -n "$PY_WITH_YAML" ]] || die "no Python with PyYAML for check_manifests.py (pip install pyyaml)"

# --- 4. validate each overlay -------------------------------------------------------------------
failures=0
for overlay in "${overlays[@]}"; do
  rendered="$WORK/$overlay.yaml"
  case "$SCHEMA" in
    kubeconform)
      log "$overlay: kubeconform -strict (Kubernetes $K8S_VERSION schemas)"
      "$BIN_DIR/kubeconform" "${location_args[@]}" -strict -summary -kubernetes-version "$K8S_VERSION" \
        "$rendered" || { log "$overlay: schema validation FAILED"; failures=$((failures + 1)); } ;;
    kubernetes-validate)
      log "$overlay: kubernetes-validate --strict (Kubernetes $K8S_VERSION schemas)"
      "$venv/bin/kubernetes-validate" --strict --no-warn -k "$K8S_VERSION" "$rendered" \
        || { log "$overlay: schema validation FAILED"; failures=$((failures + 1)); } ;;
  esac
  log "$overlay: structural checks (check_manifests.py)"
  "$PY_WITH_YAML" "$K8S_DIR/check_manifests.py" "$rendered" \
    || { log "$overlay: structural checks FAILED"; failures=$((failures + 1)); }
done

summary="overlays: ${overlays[*]}; renderer: ${KUSTOMIZE[*]}; schema: ${SCHEMA:-none}; structural: check_manifests.py"
if ((failures > 0)); then
  die "$failures check(s) failed ($summary)"
fi
log "all overlays valid ($summary)"
