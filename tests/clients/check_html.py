#!/usr/bin/env python3
"""Open graph.html in headless Chromium and use it as a person would, over the DevTools protocol.

    check_html.py DIR [--chromium PATH] [--query TEXT --expect NODE_ID]
                      [--screenshot FILE.png] [--screenshot-selected FILE.png]

Chromium (Debian's, no browser download) starts headless with a fresh profile and the flags
this machine needs, loads DIR/graph.html from file://, and the script then checks that:

* the page loads with no JavaScript exception, no console error, no failed or blocked load,
  and no request for anything but the page itself (it is self-contained);
* the node and edge counts it shows equal the rows of nodes.csv and edges.csv;
* a screenshot of the graph area is not blank: enough pixels differ from the background,
  in enough colours, among them the colours of entity types;
* typing TEXT into the search box (as keystrokes) lists NODE_ID, Enter selects it and the
  side panel shows its name and its mentions;
* a real mouse click on the heaviest shown edge opens its evidence;
* the English switch relabels the nodes, and the type and background filters change what
  is shown.

Screenshots are written where asked (the first before any click, the second with the
searched node selected). Exit status 0 when all holds, 1 otherwise (each failure on
stderr), 2 when Chromium cannot be started.
"""

import argparse
import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket
from PIL import Image

from common import Problems, edges, nodes

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--window-size=1500,950",
]


class Browser:
    def __init__(self, chromium):
        self.profile = tempfile.mkdtemp(prefix="newsgraph-chromium-")
        self.process = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-port=0",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port_file = Path(self.profile) / "DevToolsActivePort"
        deadline = time.time() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            if self.process.poll() is not None or time.time() > deadline:
                err = self.process.stderr.read().decode(errors="replace") if self.process.poll() is not None else ""
                self.close()
                raise RuntimeError(f"Chromium did not start: {err[-2000:]}")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e["method"] == method:
                return self.events.pop(i)
        self.ws.settimeout(1)
        try:
            while time.time() < deadline:
                try:
                    message = json.loads(self.ws.recv())
                except websocket.WebSocketTimeoutException:
                    continue
                if message.get("method") == method:
                    return message
                if "method" in message:
                    self.events.append(message)
        finally:
            self.ws.settimeout(30)
        raise RuntimeError(f"no {method} within {timeout} s")

    def js(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {expression}")

    def screenshot(self):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        return base64.b64decode(data)

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1 if kind != "mouseMoved" else 0)

    def key(self, key, code, keycode):
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=keycode, nativeVirtualKeyCode=keycode)


def hex_rgb(color):
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))


def picture_stats(png, rect, type_colors):
    """(share of non-background pixels, distinct colours, type colours seen) in rect."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    x, y, w, h = (int(v) for v in rect)
    area = image.crop((x, y, x + w, y + h))
    pixels = list(area.get_flattened_data() if hasattr(area, 'get_flattened_data') else area.getdata())
    background = max(set(pixels[:: max(1, len(pixels) // 5000)]), key=pixels.count)
    differing = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, background)) > 30)
    colours = len(set(pixels))
    seen = sum(1 for c in type_colors
               if any(sum(abs(a - b) for a, b in zip(p, c)) < 12 for p in pixels[::7]))
    return differing / max(1, len(pixels)), colours, seen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--chromium", default=os.environ.get("NEWSGRAPH_CHROMIUM") or "chromium")
    parser.add_argument("--query")
    parser.add_argument("--expect")
    parser.add_argument("--screenshot")
    parser.add_argument("--screenshot-selected")
    args = parser.parse_args()
    folder = Path(args.folder).resolve()
    problems = Problems("check_html")
    csv_nodes, csv_edges = nodes(folder), edges(folder)

    try:
        browser = Browser(args.chromium)
    except Exception as e:  # noqa: BLE001 - any failure to start is reported the same way
        print(f"check_html: cannot start {args.chromium}: {e}", file=sys.stderr)
        sys.exit(2)
    try:
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.send(f"{domain}.enable")
        url = (folder / "graph.html").as_uri()
        browser.send("Page.navigate", url=url)
        browser.wait_event("Page.loadEventFired")
        browser.wait_for("document.documentElement.dataset.ready === 'true'")
        time.sleep(0.5)

        shown = browser.js("""({
            nodes: document.getElementById('node-count').textContent,
            edges: document.getElementById('edge-count').textContent,
            shownNodes: Number(document.documentElement.dataset.shownNodes),
            shownEdges: Number(document.documentElement.dataset.shownEdges),
            cyNodes: newsgraph.cy.nodes().length,
            cyEdges: newsgraph.cy.edges().length,
            rect: (() => { const r = document.getElementById('cy').getBoundingClientRect();
                           return [r.x, r.y, r.width, r.height]; })(),
            colors: newsgraph.data.types.map(t => t.color),
            shownTypes: [...new Set(newsgraph.cy.nodes(':visible').map(n => newsgraph.data.nodes.find(d => d.id === n.id()).type))],
        })""")
        problems.check(shown["nodes"] == str(len(csv_nodes)),
                       f"page shows {shown['nodes']} nodes, nodes.csv has {len(csv_nodes)}")
        problems.check(shown["edges"] == str(len(csv_edges)),
                       f"page shows {shown['edges']} edges, edges.csv has {len(csv_edges)}")
        problems.check(shown["cyNodes"] == len(csv_nodes), f"{shown['cyNodes']} nodes drawn")
        problems.check(shown["shownNodes"] > 0, "no node shown")

        png = browser.screenshot()
        if args.screenshot:
            Path(args.screenshot).write_bytes(png)
        share, colours, seen = picture_stats(png, shown["rect"],
                                             [hex_rgb(c) for c in shown["colors"]])
        problems.check(share > 0.004, f"the graph area is blank: {share:.4%} of pixels drawn")
        problems.check(colours > 30, f"the graph area has only {colours} colours")
        wanted = min(2, len(shown["shownTypes"]))
        problems.check(seen >= wanted, f"only {seen} entity-type colours in the picture")

        # A real click on the heaviest edge shown: its evidence opens.
        edge = browser.js("""(() => {
            const cy = newsgraph.cy;
            const shown = cy.edges(':visible').filter(e => !newsgraph.data.edges[e.data('index')].background);
            if (!shown.length) return null;
            const best = shown.max(e => newsgraph.data.edges[e.data('index')].weight).ele;
            cy.zoom(1.6);
            cy.center(best);
            const r = document.getElementById('cy').getBoundingClientRect();
            const p = best.renderedMidpoint();
            return { id: newsgraph.data.edges[best.data('index')].id, x: r.x + p.x, y: r.y + p.y };
        })()""")
        if edge:
            time.sleep(0.3)
            browser.click(edge["x"], edge["y"])
            time.sleep(0.3)
            got = browser.js("""({ edge: document.getElementById('details').dataset.edge || null,
                                   marks: document.querySelectorAll('#details .snippet mark').length })""")
            problems.check(got["edge"] == edge["id"],
                           f"clicking edge {edge['id']} opened {got['edge']!r}")
            problems.check(got["marks"] > 0, "the edge panel shows no evidence")
            browser.js("newsgraph.cy.elements().unselect().removeClass('faded'); "
                       "newsgraph.cy.fit(newsgraph.cy.elements(':visible'), 30); true")

        if args.query:
            browser.js("document.getElementById('search').focus(); true")
            browser.send("Input.insertText", text=args.query)
            time.sleep(0.3)
            ids = browser.js("[...document.querySelectorAll('#search-results li[data-id]')].map(li => li.dataset.id)")
            if args.expect:
                problems.check(args.expect in ids,
                               f"searching {args.query!r} lists {ids}, not {args.expect}")
            browser.key("Enter", "Enter", 13)
            time.sleep(0.6)
            panel = browser.js("""({ node: document.getElementById('details').dataset.node || null,
                                     title: (document.getElementById('details-title') || {}).textContent || '',
                                     snippets: document.querySelectorAll('#details .snippet').length,
                                     selected: newsgraph.cy.$(':selected').map(e => e.id()) })""")
            if args.expect:
                problems.check(panel["node"] == args.expect,
                               f"Enter selected {panel['node']!r}, not {args.expect}")
                problems.check(args.expect in panel["selected"], "the node is not selected in the graph")
                expected = next((n for n in csv_nodes if n["id"] == args.expect), None)
                if expected and expected["name_fa"]:
                    problems.check(panel["title"] == expected["name_fa"],
                                   f"panel title {panel['title']!r}, expected {expected['name_fa']!r}")
                if expected and int(expected["mentions"]) > 0:
                    problems.check(panel["snippets"] > 0, "the node panel shows no mentions")
            if args.screenshot_selected:
                time.sleep(0.4)
                Path(args.screenshot_selected).write_bytes(browser.screenshot())

        # The English switch relabels the nodes.
        browser.js("document.querySelector('input[name=lang][value=en]').click(); true")
        time.sleep(0.2)
        mismatched = browser.js("""newsgraph.cy.nodes().filter(n => {
            const d = newsgraph.data.nodes.find(x => x.id === n.id());
            return n.data('label') !== (d.en || d.fa || d.label || d.id); }).length""")
        problems.check(mismatched == 0, f"{mismatched} nodes not relabelled in English")
        browser.js("document.querySelector('input[name=lang][value=fa]').click(); true")

        # Filters: the first type off hides its nodes; background edges on shows them.
        before = browser.js("Number(document.documentElement.dataset.shownNodes)")
        first_type = browser.js("(() => { const i = document.querySelector('#type-filters input'); "
                                "i.click(); return i.id; })()")
        after = browser.js("Number(document.documentElement.dataset.shownNodes)")
        problems.check(after < before, f"unticking {first_type} left {after} of {before} nodes shown")
        browser.js("document.querySelector('#type-filters input').click(); true")
        background = sum(1 for e in csv_edges if e["background"] == "true")
        if background:
            was = browser.js("Number(document.documentElement.dataset.shownEdges)")
            on = browser.js("(() => { const b = document.getElementById('show-background'); "
                            "if (!b.checked) b.click(); "
                            "return Number(document.documentElement.dataset.shownEdges); })()")
            problems.check(on > was, f"background edges on: {on} edges shown, before {was}")

        # Dates: a range after every publication hides the dated edges, and without undated
        # edges nothing is left.
        dated = sum(1 for e in csv_edges if e["first_published"][:4].isdigit())
        if dated:
            left = browser.js("""(() => {
                const set = (id, v) => { const i = document.getElementById(id); i.value = v;
                                         i.dispatchEvent(new Event('change')); };
                set('date-from', '2999-01-01');
                const u = document.getElementById('undated'); if (u.checked) u.click();
                const n = Number(document.documentElement.dataset.shownEdges);
                set('date-from', ''); u.click();
                return n; })()""")
            background_shown = background if browser.js("document.getElementById('show-background').checked") else 0
            problems.check(left == background_shown,
                           f"dates after every publication and no undated edges: {left} edges shown")

        # Whatever went wrong on the way.
        for event in browser.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                d = params.get("exceptionDetails", {})
                problems.add(f"JavaScript exception: {d.get('exception', {}).get('description') or d.get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                problems.add("console error: " + " ".join(str(a.get("value", a.get("description")))
                                                          for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                problems.add(f"browser error: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                request_url = params.get("request", {}).get("url", "")
                if request_url != url and not request_url.startswith("data:"):
                    problems.add(f"the page requested {request_url}")
            elif method == "Network.loadingFailed":
                problems.add(f"a load failed: {params.get('errorText')}")
        version = browser.send("Browser.getVersion").get("product", "Chromium")
    finally:
        browser.close()
    problems.exit(folder, f"graph.html in {version}: {shown['nodes']} nodes and {shown['edges']} "
                  f"edges as in the CSV files, {shown['shownNodes']} nodes and "
                  f"{shown['shownEdges']} edges shown; picture {share:.1%} drawn in {colours} "
                  f"colours; search, click, language switch and filters work")


if __name__ == "__main__":
    main()
