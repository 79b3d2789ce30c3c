#!/usr/bin/env python3
"""html_render.py - render a page in headless Chromium and say what was drawn.

    html_render.py CHROMIUM FILE.html [SCREENSHOT.png]

Drives Chromium through the DevTools protocol over a pipe (--remote-debugging-pipe: no
port, no websocket module needed): loads FILE, collects every console message, uncaught
exception and log entry of level error or warning, measures each <svg class="chart">
and its drawn elements (polylines and markers with a non-empty bounding box, as laid
out by the browser), optionally saves a full-page PNG, and prints one JSON object:
    {"errors": [...], "charts": [{"chart": NAME, "width": W, "height": H,
      "drawn": N, "note": TEXT or null}, ...], "height": PAGE_HEIGHT}
Exit 0 when the page loaded, 2 on a protocol failure or a timeout.
"""
import base64
import fcntl
import json
import os
import select
import subprocess
import sys
import tempfile
import time

MEASURE = r"""(() => {
  const out = [];
  for (const s of document.querySelectorAll('svg.chart')) {
    const r = s.getBoundingClientRect();
    let drawn = 0;
    for (const e of s.querySelectorAll('.series, .marker')) {
      const b = e.getBBox();
      if (b.width > 0 || b.height > 0) drawn++;
    }
    const note = s.querySelector('.note');
    out.push({chart: s.dataset.chart, width: r.width, height: r.height, drawn: drawn,
              note: note ? note.textContent : null});
  }
  return {charts: out, height: document.documentElement.scrollHeight};
})()"""


class Pipe:
    def __init__(self, chromium, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Chromium reads fd 3 and writes fd 4. Move both ends out of the way first: either may be
            # 3 or 4 already, and dup2 onto itself would keep the close-on-exec flag.
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--remote-debugging-pipe", "--user-data-dir=" + profile, "--no-first-run",
             "--window-size=1280,1000", "about:blank"],
            preexec_fn=fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=None if os.environ.get("HTML_RENDER_DEBUG") else subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        return self.next_id

    def read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        want = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            m = self.read(deadline)
            if m.get("id") == want:
                if "error" in m:
                    raise RuntimeError("%s: %s" % (method, m["error"]))
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self.read(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)


def problems(events):
    """Console errors and warnings, uncaught exceptions, error log entries."""
    out = []
    for m in events:
        p = m.get("params", {})
        if m.get("method") == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
            out.append("console.%s: %s" % (p["type"], " ".join(str(a.get("value", a.get("description")))
                                                               for a in p.get("args", []))))
        elif m.get("method") == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out.append("exception: %s" % d.get("exception", {}).get("description", d.get("text")))
        elif m.get("method") == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
            e = p["entry"]
            out.append("log %s (%s): %s %s" % (e["level"], e.get("source"), e.get("text"), e.get("url", "")))
    return out


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    chromium, page = sys.argv[1], os.path.abspath(sys.argv[2])
    shot = sys.argv[3] if len(sys.argv) == 4 else None
    with tempfile.TemporaryDirectory(prefix="fleetsim-chromium-") as profile:
        c = Pipe(chromium, profile)
        try:
            target = c.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = c.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                c.call(domain + ".enable", session=s)
            c.call("Page.navigate", {"url": "file://" + page}, session=s)
            c.wait_event("Page.loadEventFired")
            r = c.call("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True}, session=s)
            if "exceptionDetails" in r:
                raise RuntimeError("measuring failed: %s" % r["exceptionDetails"])
            result = r["result"]["value"]
            if shot:
                c.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": int(result["height"]),
                                                              "deviceScaleFactor": 1, "mobile": False}, session=s)
                png = c.call("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
                with open(shot, "wb") as f:
                    f.write(base64.b64decode(png))
            # Late messages (a console error from a deferred script) arrive before this answer.
            c.call("Runtime.evaluate", {"expression": "0"}, session=s)
            result["errors"] = problems(c.events)
            c.call("Browser.close")
        except (TimeoutError, EOFError, RuntimeError, KeyError) as e:
            print("html_render: %s" % e, file=sys.stderr)
            c.proc.kill()
            c.proc.wait()
            return 2
        c.proc.wait(timeout=30)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
