#!/usr/bin/env python3
"""The page's download budget: the gzipped wasm + js + css in dist/ must stay within 400 KB
(design.md, "Budgets"). Prints each file's raw and gzip -9 size and exits 1 above budget,
so `make test` fails the day the page grows past what a person should wait for."""

import gzip
import pathlib
import sys

BUDGET = 400 * 1000  # bytes, gzipped; KB as 1,000 bytes to stay on the safe side
KINDS = (".wasm", ".js", ".css")


def main() -> int:
    dist = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "dist")
    files = sorted(p for p in dist.rglob("*") if p.is_file() and p.suffix in KINDS)
    if not any(p.suffix == ".wasm" for p in files):
        print(f"size: no .wasm in {dist}/ (run `make build-web` first)")
        return 1
    totals = {kind: 0 for kind in KINDS}
    for path in files:
        raw = path.read_bytes()
        packed = len(gzip.compress(raw, compresslevel=9, mtime=0))
        totals[path.suffix] += packed
        print(f"size: {path.relative_to(dist)}: {len(raw):,} B raw, {packed:,} B gzip")
    total = sum(totals.values())
    parts = ", ".join(f"{kind[1:]} {size / 1000:.1f} KB" for kind, size in totals.items())
    verdict = "within" if total <= BUDGET else "OVER"
    print(f"size: gzip total {total / 1000:.1f} KB ({parts}) {verdict} the {BUDGET // 1000} KB budget")
    return 0 if total <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
