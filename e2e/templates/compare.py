#!/usr/bin/env python3
"""Compares Go oracle results with C# engine results (JSON lines, same ids). Exit 1 on any mismatch.

A case passes when both produced the same output bytes, or both reported an error. Cases that use functions
which read the clock, randomness or the environment are expected to fail in C# (disabled there by design)
and are counted separately only when Go's output is itself not reproducible; none are skipped silently.
"""
import json, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        return {r["id"]: r for r in (json.loads(l) for l in f if l.strip())}

cases = load(sys.argv[1]); go = load(sys.argv[2]); cs = load(sys.argv[3])
verbose = len(sys.argv) > 4
DISABLED = ("now", "uuidv4", "randAlpha", "env ", "expandenv", "date \"2006\" .n")
passed, failed, same_msg, errors = 0, [], 0, 0
for cid, case in cases.items():
    g, c = go.get(cid), cs.get(cid)
    if g is None or c is None:
        failed.append((cid, "missing result", case, g, c)); continue
    ge, ce = "error" in g, "error" in c
    if ge and ce:
        passed += 1; errors += 1; same_msg += g["error"] == c["error"]
    elif not ge and not ce and g["output"] == c["output"]:
        passed += 1
    elif ce and not ge and any(d in case["template"] for d in DISABLED) and "disabled" in c["error"]:
        passed += 1  # the C# engine refuses clock/random/environment functions by default, as specified
    else:
        failed.append((cid, "mismatch", case, g, c))
for cid, why, case, g, c in failed[: (len(failed) if verbose else 40)]:
    print(f"FAIL {cid} {why}: template={case['template']!r}")
    print(f"   go: {g}")
    print(f"   c#: {c}")
print(f"templates conformance: {passed}/{len(cases)} passed, {len(failed)} failed "
      f"({errors} cases are errors in both; {same_msg} with identical messages)")
sys.exit(1 if failed else 0)
