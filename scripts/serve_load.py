#!/usr/bin/env python3
"""Load test of `sizer serve` on loopback (a benchmark, not a test).

Starts `sizer serve --port 0 --models-dir DIR` (DIR: a temporary directory with a copy of
tests/data/models/stories260K.gguf), runs CLIENTS concurrent clients (one keep-alive
connection each) for REQUESTS requests in all, mixing valid requests (plan, fit, fit of a
model file, recommend, the lists, /healthz) with invalid ones (malformed JSON and YAML, path
escapes, unknown keys, unknown routes, wrong methods, an oversized body), and prints
requests/s, latency percentiles per route, the errors on valid requests (must be 0) and the
refusals (each invalid request must get its expected status). Exit 1 when a valid request
failed or a refusal had the wrong status.

  python3 scripts/serve_load.py --sizer build-test/cli/sizer [--clients 8] [--requests 4000]
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JOB = open(os.path.join(ROOT, "worksheets", "chat-assistant-8b.yaml"), encoding="utf-8").read()

# (weight, label, method, path, body, expected status); expected 200 = a valid request.
MIX = [
    (10, "fit", "POST", "/v1/fit", json.dumps({"model": "llama-3.1-8b", "context": "32k", "on": "rtx-4090,h100-sxm"}), 200),
    (6, "fit", "POST", "/v1/fit", json.dumps({"model": "qwen2.5-32b", "concurrency": 8, "on": "2x rtx-4090,a100-80gb", "max_context": True}), 200),
    (4, "fit (file)", "POST", "/v1/fit", json.dumps({"model": "stories260K.gguf", "memory": "1GiB", "bandwidth": "10GB/s"}), 200),
    (8, "plan", "POST", "/v1/plan", JOB, 200),
    (2, "recommend", "POST", "/v1/recommend", json.dumps({"model": "llama-3.1-8b", "context": "8k", "top": 3}), 200),
    (4, "models", "GET", "/v1/models", None, 200),
    (4, "hardware", "GET", "/v1/hardware", None, 200),
    (3, "runtimes", "GET", "/v1/runtimes", None, 200),
    (3, "model", "GET", "/v1/models/llama-3.1-70b", None, 200),
    (4, "healthz", "GET", "/healthz", None, 200),
    (4, "bad JSON", "POST", "/v1/fit", '{"model": "llama-3.1-8b",', 400),
    (3, "bad YAML", "POST", "/v1/plan", "model: llama-3.1-8b\ncandidates: [rtx-4090\n", 400),
    (3, "path escape", "POST", "/v1/fit", json.dumps({"model": "../outside.gguf", "memory": "1GiB", "bandwidth": "10GB/s"}), 400),
    (2, "absolute path", "POST", "/v1/fit", json.dumps({"model": "/etc/x.gguf"}), 400),
    (2, "unknown key", "POST", "/v1/fit", json.dumps({"model": "llama-3.1-8b", "colour": "red"}), 400),
    (3, "404 route", "GET", "/v1/nothing", None, 404),
    (2, "404 model", "GET", "/v1/models/no-such-model", None, 404),
    (2, "405 method", "GET", "/v1/plan", None, 405),
    (1, "413 body", "POST", "/v1/plan", "x" * ((1 << 20) + 1), 413),
]


def start_server(sizer, models_dir, log_path, threads):
    log = open(log_path, "wb")
    proc = subprocess.Popen([sizer, "serve", "--port", "0", "--models-dir", models_dir,
                             "--threads", str(threads)], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", open(log_path, errors="replace").read())
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            sys.exit("sizer serve exited:\n" + open(log_path).read())
        time.sleep(0.1)
    sys.exit("sizer serve did not start")


def client(port, jobs, results, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    local = []
    for weight_index in jobs:
        _, label, method, path, body, expected = MIX[weight_index]
        headers = {"Content-Type": "application/json"} if body is not None else {}
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            res.read()
            status = res.status
            if res.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        except (OSError, http.client.HTTPException):
            status = -1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        local.append((label, expected, status, time.perf_counter() - start))
    with lock:
        results.extend(local)


def percentile(sorted_values, p):
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizer", required=True)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=8, help="sizer serve --threads")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="sizer_load_")
    models = os.path.join(work, "models")
    os.makedirs(models)
    shutil.copy(os.path.join(ROOT, "tests", "data", "models", "stories260K.gguf"), models)
    server, port = start_server(args.sizer, models, os.path.join(work, "serve.log"), args.threads)
    try:
        rng = random.Random(args.seed)
        weights = [m[0] for m in MIX]
        plan = rng.choices(range(len(MIX)), weights=weights, k=args.requests)
        shares = [plan[i::args.clients] for i in range(args.clients)]
        results, lock = [], threading.Lock()
        threads = [threading.Thread(target=client, args=(port, s, results, lock)) for s in shares]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        server.send_signal(signal.SIGTERM)
        stopped = server.wait(timeout=60)
        shutil.rmtree(work, ignore_errors=True)

    print(f"sizer serve load test: {len(results)} requests, {args.clients} concurrent clients, "
          f"server --threads {args.threads}, {wall:.2f} s, {len(results) / wall:.0f} requests/s")
    print(f"{'route':<15}{'n':>6}{'status':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    by_label = {}
    for label, expected, status, seconds in results:
        by_label.setdefault(label, []).append((expected, status, seconds))
    for label in dict.fromkeys(m[1] for m in MIX):
        rows = by_label.get(label, [])
        if not rows:
            continue
        lat = sorted(s * 1000 for _, _, s in rows)
        statuses = ",".join(str(s) for s in sorted({st for _, st, _ in rows}))
        print(f"{label:<15}{len(rows):>6}{statuses:>8}{percentile(lat, 50):>9.1f}{percentile(lat, 90):>9.1f}"
              f"{percentile(lat, 99):>9.1f}{lat[-1]:>9.1f}")
    all_lat = sorted(s * 1000 for *_, s in results)
    print(f"{'all':<15}{len(all_lat):>6}{'':>8}{percentile(all_lat, 50):>9.1f}{percentile(all_lat, 90):>9.1f}"
          f"{percentile(all_lat, 99):>9.1f}{all_lat[-1]:>9.1f}")
    valid = [r for r in results if r[1] == 200]
    invalid = [r for r in results if r[1] != 200]
    valid_errors = sum(1 for r in valid if r[2] != 200)
    refusals_ok = sum(1 for r in invalid if r[2] == r[1])
    print(f"valid requests: {len(valid)}, errors: {valid_errors}")
    print(f"invalid requests: {len(invalid)}, refused with the expected status: {refusals_ok}, "
          f"other status: {len(invalid) - refusals_ok}")
    print(f"server exit status after SIGTERM: {stopped}")
    return 0 if valid_errors == 0 and refusals_ok == len(invalid) and stopped == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
