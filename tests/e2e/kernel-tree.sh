#!/bin/sh
# kernel-tree.sh VERSION DEST: the source tree of a kernel the e2e suite was run on (issue 17), written to DEST.
#
#   VERSION  5.10 | 5.15 | 6.6 | 6.18 | 7.1 (the table below); `kernel-tree.sh -l` lists it
#   DEST     a directory that does not exist yet; DEST.git keeps the fetched commit (delete it when done)
#   GIT=DIR  read the commit from a local git directory that holds it (a clone or snapshot of the repository)
#            instead of fetching it from GitHub
#
# The trees are public imports of release trees on GitHub (the Android common kernel branches and the stable
# releases as imported by their owners), each at the commit our kernels were built from. Before writing DEST the
# script checks that the commit's mm/ and include/trace/ are the very trees we built (git tree ids below), and
# afterwards that `make kernelversion` says the release. The extraction is blob by blob (kernel-extract.py): a
# snapshot without some large blobs (GPU register headers) still gives a tree that builds for qemu.
# Then: tests/e2e/kernel-build.sh DEST OUT  (OUT/bzImage), and tests/e2e/e2e.sh -k build:OUT/bzImage.
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# version release github-repository commit mm-tree include/trace-tree what-else-the-commit-holds
trees() {
	cat <<'T'
5.10 5.10.233 Lucas-shiau/android12-5.10-lts ab8c05e7bcf057519fb00510f16b073d087bafb8 14cb940080fef500fe73d4dc866387437f0c1d9c 04bc5d7e654e854624073b4976162c0c0164f429 Android common kernel android12-5.10 (LTS 5.10.233) with four more ACK vendor hooks (mm/filemap.c, mm/memory.c: hooks only)
5.15 5.15.167 ShirkNeko/common-android13-5.15 bd0fc4c4683dda5b60a99d132a31d563c95bc1bc 215788265e7639e0d32f8847f0d5e3223e28dece 9a23594b1fec58f17b8cc66355131122cda0ce1b Android common kernel android13-5.15 (import bafc0d1e2: same mm/ and include/trace/) plus KernelSU, Samsung block schedulers and kernel/sched changes, off in our config or not in mm/
6.6 6.6.57 lxdklp/linux-6.6.y 5aa5a1b8c29ffbb5ffc002f8fb1b8ad7b703f47e fa75f15224142d7e799a78ce5ad6c599cb97f6ef 0892fe5ee524850a56fe11e6bc7cc3e2f078a9f4 stable 6.6.57 (import 6cded284a 'up to 6.6.57') plus one arm64 defconfig line
6.18 6.18.2 gfunkmonk/linux-6.18.2 8161abd05fea1ac980cc1614cab85fc677a9127b b4fb11a5522b237aca13537d9ee36ccaec6fb474 614e70ea149a97aa90c7540369d7550df120e22e stable 6.18.2 (import 57dc26c98) plus the CacULE scheduler patch (CONFIG_CACULE_SCHED off, but SIS_UTIL is gone from kernel/sched/features.h)
7.1 7.1.5 danayer/linux-7.1.5 9d1745cf8134cb84ec6b15a755a194f6dd32dc08 2f32b8cfb2a0e81bcf2a9dab322bc5c8e008fa5c e46cd548f346962fddb6ca58c91e36154487fcfa stable 7.1.5 plus drivers/gpu/drm/xe and drivers/misc/mei changes
T
}

if [ "${1:-}" = -l ]; then
	trees | while read -r v rel repo commit _ _ what; do printf '%-5s %-9s https://github.com/%s %s\n      %s\n' "$v" "$rel" "$repo" "$commit" "$what"; done
	exit 0
fi
[ $# -eq 2 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
ver=$1 dest=$2
line=$(trees | awk -v v="$ver" '$1 == v') || true
[ -n "$line" ] || { echo "kernel-tree.sh: unknown version $ver (kernel-tree.sh -l lists them)" >&2; exit 2; }
# shellcheck disable=SC2086
set -- $line
rel=$2 repo=$3 commit=$4 mmtree=$5 tracetree=$6
[ ! -e "$dest" ] || { echo "kernel-tree.sh: $dest exists" >&2; exit 2; }
if [ -n "${GIT:-}" ]; then
	gitdir=$GIT
else
	gitdir=$dest.git
	git init -q --bare "$gitdir"
	# GitHub serves a commit by its id; one commit, no history (about 200-250 MB)
	git --git-dir="$gitdir" fetch -q --depth 1 "https://github.com/$repo" "$commit"
fi
git --git-dir="$gitdir" cat-file -e "$commit^{commit}" || { echo "kernel-tree.sh: $gitdir lacks $commit" >&2; exit 1; }
for pair in "mm:$mmtree" "include/trace:$tracetree"; do
	got=$(git --git-dir="$gitdir" rev-parse "$commit:${pair%%:*}")
	[ "$got" = "${pair#*:}" ] || { echo "kernel-tree.sh: $commit:${pair%%:*} is $got, not the tree we built (${pair#*:})" >&2; exit 1; }
done
python3 "$here/kernel-extract.py" "$gitdir" "$commit" "$dest" >"$dest.missing"
got=$(make -s -C "$dest" kernelversion)
[ "$got" = "$rel" ] || { echo "kernel-tree.sh: $dest says $got, expected $rel" >&2; exit 1; }
echo "kernel-tree.sh: $rel from github.com/$repo $commit in $dest ($(grep -c . "$dest.missing") blobs missing: $dest.missing)"
