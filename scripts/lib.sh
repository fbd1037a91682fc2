# Shared by scripts/test, scripts/demo and scripts/bench: installs what the project needs when it is missing.
# Debian/Ubuntu only; needs root (or sudo) only when something is missing.

# Debian packages and a command each provides (checked before installing anything).
DBBACKUP_PACKAGES=(
  "maven:mvn"
  "openjdk-17-jdk-headless:javac"
  "postgresql:/usr/lib/postgresql/*/bin/initdb"
  "mariadb-server:mariadbd"
  "mariadb-client:mariadb-dump"
  "redis-server:redis-server"
  "redis-tools:redis-cli"
  "gnupg:gpg"
  "zstd:zstd"
)

dbbackup_install_missing() {
  local missing=() entry pkg probe
  for entry in "${DBBACKUP_PACKAGES[@]}"; do
    pkg=${entry%%:*}
    probe=${entry#*:}
    if [[ $probe == /* ]]; then
      compgen -G "$probe" >/dev/null && continue
    else
      command -v "$probe" >/dev/null 2>&1 && continue
      [[ -x /usr/sbin/$probe ]] && continue
    fi
    missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  echo "Installing missing Debian packages: ${missing[*]}" >&2
  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      echo "error: these packages are missing and installing them needs root: ${missing[*]}" >&2
      echo "       run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: apt-get not found; install these packages (or their equivalents) by hand: ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}
