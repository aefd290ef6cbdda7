#!/bin/sh
# apt-foreign.sh: Debian packages of another architecture (arm64), downloaded with a private APT state,
# for the cross-built static recorder's sysroot (make record-arm64) and the arm64 e2e rig (tests/e2e/).
#
#   cli/static/apt-foreign.sh ARCH DIR update             private package lists for ARCH (once a day is plenty)
#   cli/static/apt-foreign.sh ARCH DIR download PKG...    PKG_VERSION_ARCH.deb into DIR/debs (kept if present)
#   cli/static/apt-foreign.sh ARCH DIR depends PKG...     PKG and what it depends on (recursively), one a line
#   cli/static/apt-foreign.sh ARCH DIR search REGEX       package names of ARCH matching REGEX
#
# The host's apt configuration is only read (its sources and keys), never changed: ARCH's lists, cache and an
# empty dpkg status live under DIR/apt, and every apt call names them with -o options. Nothing is installed.
set -eu
[ $# -ge 3 ] || { sed -n '2,10p' "$0"; exit 2; }
ARCH=$1 DIR=$2 CMD=$3
shift 3
A=$DIR/apt
mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/prefs" "$DIR/debs"
[ -e "$A/status" ] || : >"$A/status"
case $A in /*) ;; *) A=$(pwd)/$A ;; esac
# shellcheck disable=SC2086
aptf() {
	"$@" -q -o APT::Architecture="$ARCH" -o APT::Architectures="$ARCH" \
		-o Dir::State="$A" -o Dir::State::Lists="$A/lists" -o Dir::State::status="$A/status" \
		-o Dir::Cache="$A/cache" -o Dir::Cache::pkgcache="$A/cache/pkgcache.bin" \
		-o Dir::Cache::srcpkgcache="$A/cache/srcpkgcache.bin" -o Dir::Etc::PreferencesParts="$A/prefs" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root
}
case $CMD in
update)
	aptf apt-get update >"$A/update.log" 2>&1 || { cat "$A/update.log" >&2; exit 1; }
	date +%s >"$A/updated"
	;;
download)
	[ -s "$A/updated" ] || "$0" "$ARCH" "$DIR" update
	for p in "$@"; do
		n=${p%%=*}
		ls "$DIR/debs/${n}_"*"_${ARCH}.deb" "$DIR/debs/${n}_"*_all.deb >/dev/null 2>&1 && continue
		(cd "$DIR/debs" && aptf apt-get download "$p" >/dev/null) || { echo "apt-foreign: cannot download $p ($ARCH)" >&2; exit 1; }
	done
	;;
depends)
	[ -s "$A/updated" ] || "$0" "$ARCH" "$DIR" update
	aptf apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances --no-pre-depends "$@" | grep -v '^ ' | grep -v '^<' | sed "s/:$ARCH\$//" | sort -u
	;;
search)
	[ -s "$A/updated" ] || "$0" "$ARCH" "$DIR" update
	aptf apt-cache search --names-only "$1" | awk '{print $1}' | sort -V
	;;
*) echo "apt-foreign: unknown command $CMD" >&2; exit 2 ;;
esac
