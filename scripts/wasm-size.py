#!/usr/bin/env python3
"""Where the page's wasm code goes: function body sizes from the name section of the release
wasm before wasm-opt (target/wasm32-unknown-unknown/release/bastion-sim-web.wasm), grouped by
the code they come from. `make size-report` prints the groups; `--top N` the largest functions,
`--grep REGEX` the functions whose demangled name matches. Sizes are raw bytes before wasm-opt,
so they rank the costs, they do not add up to the gzip figure of `make size`."""

import collections
import re
import sys

DEFAULT = "target/wasm32-unknown-unknown/release/bastion-sim-web.wasm"
ESCAPES = {"$LT$": "<", "$GT$": ">", "$u20$": " ", "$C$": ",", "$RF$": "&", "$BP$": "*", "$SP$": "@",
           "$u7b$": "{", "$u7d$": "}", "$u5b$": "[", "$u5d$": "]", "$u27$": "'", "$u3b$": ";",
           "$u22$": '"', "$u7e$": "~", "$u21$": "!", "$u23$": "#", "$u2b$": "+", "$LP$": "(", "$RP$": ")"}


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def demangle(name):
    """Legacy Rust mangling (_ZN<len><seg>...17h<hash>E) to a readable path without the hash."""
    if not name.startswith("_ZN"):
        return name
    i, segs = 3, []
    while i < len(name) and name[i].isdigit():
        j = i
        while name[j].isdigit():
            j += 1
        n = int(name[i:j])
        seg = name[j : j + n]
        i = j + n
        if re.fullmatch(r"h[0-9a-f]{16}", seg):
            continue
        if seg.startswith("_$"):
            seg = seg[1:]
        for k, v in ESCAPES.items():
            seg = seg.replace(k, v)
        segs.append(seg.replace("..", "::"))
    return "::".join(segs)


def skip_limits(data, j):
    """Past a limits record: flags, minimum, and the maximum when flag bit 0 is set."""
    fl, j = leb(data, j)
    _, j = leb(data, j)
    if fl & 1:
        _, j = leb(data, j)
    return j


def functions(path):
    data = open(path, "rb").read()
    i, sizes, names, imports = 8, [], {}, 0
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        end = i + size
        if sid == 2:
            n, j = leb(data, i)
            for _ in range(n):
                for _ in range(2):
                    ln, j = leb(data, j)
                    j += ln
                kind = data[j]
                j += 1
                if kind == 0:
                    _, j = leb(data, j)
                    imports += 1
                elif kind == 1:  # a table: its element type, then its limits
                    j = skip_limits(data, j + 1)
                elif kind == 2:  # a memory: its limits
                    j = skip_limits(data, j)
                elif kind == 3:
                    j += 2
        elif sid == 10:
            n, j = leb(data, i)
            for _ in range(n):
                ln, j = leb(data, j)
                sizes.append(ln)
                j += ln
        elif sid == 0:
            ln, j = leb(data, i)
            if data[j : j + ln] == b"name":
                j += ln
                while j < end:
                    sub = data[j]
                    sl, j = leb(data, j + 1)
                    se = j + sl
                    if sub == 1:
                        n, j = leb(data, j)
                        for _ in range(n):
                            idx, j = leb(data, j)
                            ln2, j = leb(data, j)
                            names[idx] = data[j : j + ln2].decode("utf8", "replace")
                            j += ln2
                    j = se
        i = end
    return [(demangle(names.get(k + imports, "?")), s) for k, s in enumerate(sizes)]


RULES = [
    ("sort (std driftsort/ipnsort/insertion copies)", r"core::slice::sort::"),
    ("serde: Deserialize (design file)", r"value_de|serde_core::de::|serde::de::|Deserialize|Visitor|deserialize|serde_json::de::"),
    ("serde: Serialize", r"Serialize|serde_core::ser|serde_json::ser::|serialize"),
    ("core::fmt / Debug / Display", r"core::fmt::|Debug|Display|fmt::Write|::fmt$|ToString"),
    ("yew html! (ui components)", r"^<?bastion_sim::ui::"),
    ("yew runtime", r"yew|implicit_clone|gloo|prokio"),
    ("engine", r"bastion_sim::engine::"),
    ("edit", r"bastion_sim::edit"),
    ("model", r"bastion_sim::model"),
    ("view", r"bastion_sim::view"),
    ("scenarios", r"bastion_sim::scenarios"),
    ("io / report / other bastion_sim", r"bastion_sim"),
    ("hashbrown / BTreeMap / Vec / String generics", r"hashbrown|alloc::collections|alloc::vec|alloc::string|alloc::raw_vec|<alloc::|alloc::"),
    ("petgraph", r"petgraph"),
    ("miniz_oxide (deflate)", r"miniz_oxide"),
    ("wasm-bindgen / js-sys / web-sys", r"wasm_bindgen|js_sys|web_sys"),
    ("core (other generics)", r"core::|<core::"),
    ("std", r"std::"),
]


def group(name):
    for label, pat in RULES:
        if re.search(pat, name):
            return label
    return "other"


def main():
    args = sys.argv[1:]
    path = DEFAULT
    top, pat = 0, None
    while args:
        a = args.pop(0)
        if a == "--top":
            top = int(args.pop(0))
        elif a == "--grep":
            pat = args.pop(0)
        else:
            path = a
    fns = functions(path)
    total = sum(s for _, s in fns)
    print(f"{path}: {len(fns):,} functions, {total:,} B of code (before wasm-opt)")
    groups = collections.Counter()
    counts = collections.Counter()
    for n, s in fns:
        g = group(n)
        groups[g] += s
        counts[g] += 1
    for g, s in groups.most_common():
        print(f"{s:>10,} B {100 * s / total:5.1f}% {counts[g]:>6,} fns  {g}")
    if top or pat:
        sel = sorted((f for f in fns if not pat or re.search(pat, f[0])), key=lambda f: -f[1])
        print(f"-- {len(sel)} functions, {sum(s for _, s in sel):,} B")
        for n, s in sel[: top or 60]:
            print(f"{s:>8,} {n[:200]}")


if __name__ == "__main__":
    main()
