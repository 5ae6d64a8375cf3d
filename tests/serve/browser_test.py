#!/usr/bin/env python3
"""The planner page in a real browser: headless Chromium, driven over the DevTools protocol.

Starts `sizer serve --port 0`, opens the page with a filled form (llama-3.1-8b Q4_K_M, 4
sequences, on an RTX 4090 and an H100 at 8k context), types 64k into the context
input the way a user does (focus, select, insert text: the page's own input/change handlers
fetch the new fragment), waits for the verdict table to change (the RTX 4090 flips from admit
to reject), checks the page fits a 1366x768 screen without horizontal scrolling, takes a
screenshot and checks it is not blank.

Driver: the DevTools protocol over --remote-debugging-pipe (fd 3: commands in, fd 4: replies
and events out, NUL-separated JSON), from the Python standard library alone: no chromedriver
and Selenium to install and keep at the browser's exact version, and no websocket library.

Exit 0: passed; 1: failed; 77: skipped (no Chromium). Usage:
  browser_test.py --sizer build/cli/sizer --screenshot out.png
"""
import argparse
import base64
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77
WIDTH, HEIGHT = 1366, 768


class DevTools:
    """A DevTools protocol session over the browser's pipe."""

    def __init__(self, proc, write_fd, read_fd):
        self.proc, self.write_fd, self.read_fd = proc, write_fd, read_fd
        self.next_id, self.buffer, self.events = 0, b"", []
        self.session = None

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                raise TimeoutError("no reply from the browser")
            import select
            ready, _, _ = select.select([self.read_fd], [], [], 0.5)
            if ready:
                chunk = os.read(self.read_fd, 1 << 20)
                if not chunk:
                    raise RuntimeError("the browser closed its pipe")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, params=None, timeout=30, browser=False):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not browser:
            message["sessionId"] = self.session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")


def high_fd(fd):
    return fcntl.fcntl(fd, fcntl.F_DUPFD, 10)


def start_browser(chromium, profile):
    commands_r, commands_w = os.pipe()  # we write, the browser reads on fd 3
    replies_r, replies_w = os.pipe()    # the browser writes on fd 4, we read

    def child_fds():
        a, b = high_fd(commands_r), high_fd(replies_w)
        os.dup2(a, 3)
        os.dup2(b, 4)

    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--hide-scrollbars", "--remote-debugging-pipe",
            f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank"]
    proc = subprocess.Popen(args, preexec_fn=child_fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
                            stderr=open(os.path.join(profile, "chromium.log"), "wb"))
    os.close(commands_r)
    os.close(replies_w)
    return DevTools(proc, commands_w, replies_r)


def start_server(sizer, log_path):
    log = open(log_path, "wb")
    proc = subprocess.Popen([sizer, "serve", "--port", "0"], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + 60
    while time.time() < deadline:
        text = open(log_path, encoding="utf-8", errors="replace").read()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", text)
        if m:
            return proc, int(m.group(1))
        if proc.poll() is not None:
            raise RuntimeError("sizer serve exited:\n" + text)
        time.sleep(0.1)
    raise RuntimeError("sizer serve did not start in 60 s")


def png_pixels(data):
    """(width, height, set of distinct RGB(A) pixels) of an 8-bit RGB/RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big")
            depth, colour = body[8], body[9]
            assert depth == 8 and colour in (2, 6), f"PNG depth {depth} colour type {colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        start = y * (stride + 1)
        f, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):  # PNG filters, RFC 2083 section 6
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 4 == 0:  # every 4th row is plenty to tell a page from a blank
            colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 2))
        previous = line
    return width, height, colours


def verdicts(tools):
    """"machine=verdict" for each row of the verdict table, sorted by machine."""
    return tools.evaluate("Array.from(document.querySelectorAll('#verdicts tbody tr'))"
                          ".map(r => r.querySelector('th').firstChild.textContent.trim() + '='"
                          " + r.dataset.verdict).sort().join(',')")


def run(args, work):
    server, port = start_server(args.sizer, os.path.join(work, "serve.log"))
    tools = None
    try:
        tools = start_browser(args.chromium, work)
        targets = tools.call("Target.getTargets", browser=True)["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        tools.session = tools.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True},
                                   browser=True)["sessionId"]
        tools.call("Page.enable")
        tools.call("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT,
                                                          "deviceScaleFactor": 1, "mobile": False})
        url = (f"http://127.0.0.1:{port}/?model=llama-3.1-8b&quant=Q4_K_M&concurrency=4"
               "&context=8192&on=rtx-4090&on=h100-sxm")
        tools.call("Page.navigate", {"url": url})
        tools.wait_event("Page.loadEventFired")
        before = verdicts(tools)
        print(f"verdicts at 8192 tokens: {before}")
        if before != "h100-sxm=admit,rtx-4090=admit":
            raise AssertionError(f"expected both machines admitted at 8k, got {before!r}")
        # Type the new context as a user would: focus, select the old value, insert text.
        tools.evaluate("(() => { const c = document.getElementById('context'); c.focus(); c.select(); })()")
        tools.call("Input.insertText", {"text": "64k"})
        deadline, after = time.time() + 30, before
        while time.time() < deadline and after == before:
            time.sleep(0.2)
            after = verdicts(tools)
        print(f"verdicts at 64k tokens: {after}")
        if after != "h100-sxm=admit,rtx-4090=reject":
            raise AssertionError(f"expected the RTX 4090 rejected at 64k, got {after!r}")
        scroll_width = tools.evaluate("document.documentElement.scrollWidth")
        print(f"page width at {WIDTH}x{HEIGHT}: {scroll_width}px")
        if scroll_width > WIDTH:
            raise AssertionError(f"the page scrolls sideways on a {WIDTH}px screen ({scroll_width}px)")
        shot = base64.b64decode(tools.call("Page.captureScreenshot", {"format": "png"})["data"])
        with open(args.screenshot, "wb") as f:
            f.write(shot)
        width, height, colours = png_pixels(shot)
        print(f"screenshot {args.screenshot}: {width}x{height}, {len(shot)} bytes, "
              f"{len(colours)} distinct colours sampled")
        if (width, height) != (WIDTH, HEIGHT):
            raise AssertionError(f"screenshot is {width}x{height}, expected {WIDTH}x{HEIGHT}")
        if len(colours) < 16:
            raise AssertionError(f"screenshot looks blank: {len(colours)} colours")
    finally:
        if tools:
            tools.proc.kill()
            tools.proc.wait()
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise AssertionError("sizer serve did not stop on SIGTERM")
    if code != 0:
        raise AssertionError(f"sizer serve exited {code} on SIGTERM")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizer", required=True)
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--chromium", default="")
    args = parser.parse_args()
    if not args.chromium:
        args.chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")
                              if shutil.which(n)), "")
    if not args.chromium:
        print("SKIPPED: chromium is not installed (scripts/install-deps.sh installs it); "
              "the browser test did not run")
        return SKIP
    work = tempfile.mkdtemp(prefix="sizer_browser_")
    try:
        run(args, work)
    except Exception as e:  # noqa: BLE001 - report any failure with the logs
        print(f"FAILED: {e}")
        for name in ("serve.log", "chromium.log"):
            path = os.path.join(work, name)
            if os.path.exists(path):
                print(f"--- {name} (tail)\n" + open(path, errors="replace").read()[-3000:])
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
