#!/usr/bin/env python3
"""CPU µs per request (proxy CPU ÷ requests/s) per target and scenario, medians over reps,
from a ../shared/bench run's raw.jsonl. On this 2-core box the load generator saturates
first, so this is the number that compares proxies."""
import json, statistics, sys
from collections import defaultdict

runs = defaultdict(list)
for line in open(sys.argv[1]):
    r = json.loads(line)
    if not r.get("valid") or not r.get("proxy_cpu_pct") or not r.get("rps"):
        continue
    runs[(r["scenario"], r["target"])].append(r["proxy_cpu_pct"] / 100 * 1e6 / r["rps"])
print("| scenario | target | CPU µs per request (median) | reps |")
print("|---|---|---:|---:|")
for (scenario, target), values in sorted(runs.items()):
    print(f"| {scenario} | {target} | {statistics.median(values):.1f} | {len(values)} |")
