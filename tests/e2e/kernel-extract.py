#!/usr/bin/env python3
# kernel-extract.py GITDIR COMMIT DEST: write COMMIT's tree into DEST blob by blob (tests/e2e/kernel-tree.sh).
# A shallow or partial snapshot may lack some blobs (the largest: GPU register headers), where `git archive`
# stops; they are skipped and listed on stdout ("missing PATH"), the count on stderr. DEST must not exist.
import os, subprocess, sys

if len(sys.argv) != 4:
    sys.exit('usage: kernel-extract.py GITDIR COMMIT DEST')
gitdir, commit, dest = sys.argv[1:4]
if os.path.exists(dest):
    sys.exit(f'kernel-extract.py: {dest} exists')
ls = subprocess.run(['git', '--git-dir', gitdir, 'ls-tree', '-r', '-z', '--full-tree', commit],
                    check=True, capture_output=True).stdout.split(b'\0')
ents = []
for e in ls:
    if not e:
        continue
    meta, path = e.split(b'\t', 1)
    mode, typ, sha = meta.split()
    if typ == b'blob':                  # submodules (commit entries) are not part of the kernel
        ents.append((mode, sha, path))
p = subprocess.Popen(['git', '--git-dir', gitdir, 'cat-file', '--batch'],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
missing = []
for mode, sha, path in ents:
    p.stdin.write(sha + b'\n')
    p.stdin.flush()
    hdr = p.stdout.readline()
    if hdr.endswith(b' missing\n'):
        missing.append(path.decode())
        continue
    size = int(hdr.split()[2])
    data = p.stdout.read(size)
    p.stdout.read(1)
    full = os.path.join(dest.encode(), path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    if mode == b'120000':
        os.symlink(data, full)
    else:
        with open(full, 'wb') as f:
            f.write(data)
        if mode == b'100755':
            os.chmod(full, 0o755)
p.stdin.close()
if p.wait() != 0:
    sys.exit(f'kernel-extract.py: git cat-file failed in {gitdir}')
print(f'kernel-extract.py: {len(ents)} blobs, {len(missing)} missing', file=sys.stderr)
for m in missing:
    print('missing', m)
