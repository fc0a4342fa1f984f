"""The dashboard in headless Chromium: first paint, whole page, filter, pan and zoom timings.

    .venv/bin/python benchmarks/browser_bench.py /tmp/b1m.gpkg [--shot docs/screenshots/map-1m.png]
    .venv/bin/python benchmarks/browser_bench.py postgresql://...:54350/incidents_1m
    .venv/bin/python benchmarks/browser_bench.py data/examples/tarhuna.csv   # the example
    .venv/bin/python benchmarks/browser_bench.py data/examples/tarhuna.csv --languages en,ar

A CSV is imported first (the real importer) into a GeoPackage in a temporary folder.
The run ends with the four figures a visitor feels, against their targets: first
paint, whole page warm, whole page on a first visit (the first page after the server
starts, nothing cached), and a filter change.

Starts `streamlit run app.py` on the store (public mode, as a first visitor sees it;
with --editor the steps are timed signed in as an editor, who sees every point where
it was recorded), then times, from the browser's side:
  first_paint_s     navigation to the map's data layer drawn (headline shown too), by
                    the page's clock; first_paint_*_playwright_s: the same seen from here
                    (Playwright's waits inside the map frame add 0.3 to 1 s)
  page_complete_s   navigation to the sidebar's filters, the table and the timeline
                    drawn (a first visit gets them after the map has drawn);
                    page_complete_*_server_cpu_s: the server's CPU seconds meanwhile;
                    _cold: the first page after the server starts, _warm: a later one,
                    both from an empty browser cache (a first-time visitor); _return:
                    a visitor coming back (Streamlit's script files in the cache)
  server_start_s    `streamlit run` to the server answering (it imports the page's
                    modules, draws the basemap and reads the public snapshot before it
                    answers: map_warm_start.py)
  filter_s          a type chosen in the sidebar (from the rerun request Enter sends,
                    not counting the typing) to the map's layer redrawn
  pan_s / zoom_s    a map move (240 px; two zoom levels) to the new layer drawn (by the
                    page itself from the grid levels it holds, or after the round trip
                    that re-queries the extent); *_redraws: how many steps changed it
Each step is undone by the next (add a type, remove it; pan right, left; zoom in,
out), so every round does the same work; figures are medians.

--languages en,ar times only the filter change, in one page per language (`?lang=`)
on one server, the languages taking turns in every round so a busy machine weighs on
each alike: filter_<lang>_s, and what reading in each language costs over the first
(target: no more than 0.1 s; the words, the mirrored map and its controls come from
the catalogue, not from more work).
"Drawn" is the last change to the map's overlay pane before it stays still for a
second (a MutationObserver inside the map frame), so a late redraw is not missed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MAP = 'iframe[title="streamlit_folium.st_folium"]'
FILTERS = '[data-testid="stSidebar"] [data-testid="stMultiSelect"]'
TABLE = '[data-testid="stDataFrame"] canvas'
CHART = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
WATCH = """() => {
  const pane = document.querySelector('.leaflet-overlay-pane');
  const markers = document.querySelector('.leaflet-marker-pane');
  window.__last = Date.now();
  const note = () => { window.__last = Date.now(); };
  const obs = new MutationObserver(note);
  for (const el of [pane, markers]) if (el) obs.observe(el, {childList: true, subtree: true});
  window.map.on('incidentgriddrawn', note);  // the grid paints on a canvas: no DOM change
  return !!pane;
}"""


PAINTED = (
    """(() => {
  if (window !== window.top) return;
  // Navigation start to the first moment the headline shows and the map frame has drawn
  // the incidents (the grid says so once its canvas has painted; markers are in their
  // pane; a heat map is a canvas: the outlines alone, SVG, do not count), by the page's
  // own clock (checked every 20 ms).
  const check = setInterval(() => {
    const frame = document.querySelector('MAP');
    let doc = null;
    try { doc = frame && frame.contentDocument; } catch (e) { return; }
    const drawn = doc && doc.querySelector(
      '[data-grid-zoom], .leaflet-marker-pane *, .leaflet-overlay-pane canvas');
    if (window.__painted === undefined && drawn
        && document.body.innerText.includes(' shown of ')) {
      window.__painted = performance.now();
    }
    // The whole page: the map drawn and the sidebar's filters, the table and the
    // timeline's chart in the page, by the same clock.
    if (window.__painted !== undefined && document.querySelector('FILTERS')
        && document.querySelector('TABLE') && document.querySelector('CHART')) {
      window.__complete = performance.now();
      clearInterval(check);
    }
  }, 20);
})();""".replace("MAP", MAP.replace("'", "\\'"))
    .replace("FILTERS", FILTERS.replace("'", "\\'"))
    .replace("TABLE", TABLE)
    .replace("CHART", CHART)
)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


PASSWORD = "throw-away-Passw0rd-7!"  # a throw-away account in a temporary folder


def start_server(store: str, tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    from incidents.access import Role
    from incidents.auth.accounts import Accounts

    port = _port()
    cache = os.environ.get("INCIDENTS_INDEX_CACHE", str(tmp / "index"))
    Accounts(tmp / "users.sqlite").add("bench", Role.EDITOR, PASSWORD)
    users = str(tmp / "users.sqlite")
    env = {**os.environ, "INCIDENTS_DB": store, "INCIDENTS_MODE": "public",
           "INCIDENTS_USERS": users, "INCIDENTS_INDEX_CACHE": cache}  # fmt: skip
    log = open(tmp / "streamlit.log", "wb")  # noqa: SIM115 (lives as long as the server)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("streamlit did not start")


def _frame(page: Any) -> Any:
    """The map's frame (waits while a rerun has it detached)."""
    for _ in range(100):
        found = [f for f in page.frames if "st_folium" in f.url and not f.is_detached()]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise RuntimeError("the map frame is gone")


def _settled(page: Any, since_ms: float, quiet_ms: int = 1000, timeout_s: float = 60) -> float:
    """When (ms since 1970) the map frame last changed after since_ms, once it has stayed
    still for quiet_ms and no rerun is running; NaN if it did not change."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        page.wait_for_timeout(200)
        last = float(_frame(page).evaluate("() => window.__last"))
        now = float(_frame(page).evaluate("() => Date.now()"))
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        if last >= since_ms and now - last >= quiet_ms and not running:
            return last
    return float("nan")


def _now(page: Any) -> float:
    return float(page.evaluate("() => Date.now()"))


def _cpu(pid: int) -> float:
    """User + system CPU seconds of the server process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _change_type(page: Any, label: str, change: str) -> None:
    """Add a type to the sidebar's Type filter as a person would (type it, Enter), or
    remove the last one chosen (Backspace)."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    box.locator("input").click()
    if change == "add":
        page.keyboard.type(label)
        page.keyboard.press("Enter")
    else:
        page.keyboard.press("Backspace")
    page.keyboard.press("Escape")


def _sign_in(page: Any) -> None:
    """Sign in as the benchmark's editor, as a person would, and wait for the map."""
    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("textbox", name="Name").fill("bench")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(" shown of ").first.wait_for(timeout=180_000)
    page.frame_locator(MAP).first.locator(".leaflet-overlay-pane *").first.wait_for(timeout=180_000)


def run(store: str, shot: str | None, repeat: int = 3, editor: bool = False) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        proc, url = start_server(store, Path(tmp))
        out["server_start_s"] = time.monotonic() - started  # to healthy: imports at start
        out["server_start_cpu_s"] = _cpu(proc.pid)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for visit in ("cold", "warm"):
                    picture = shot if visit == "warm" else None
                    out |= _visit(browser, url, proc.pid, visit, picture, repeat, editor)
                out |= _returning(browser, url)
                browser.close()
            out["server_max_rss_mb"] = _rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return out


def _visit(
    browser: Any, url: str, pid: int, visit: str, shot: str | None, repeat: int, editor: bool
) -> dict[str, float]:
    """One new page: first paint, then (warm visit) filter, pan and zoom steps."""
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    context.add_init_script(PAINTED)
    page = context.new_page()
    sent: list[float] = []  # when the page asked the server for a rerun (ms since 1970)

    def watch(ws: Any) -> None:
        ws.on("framesent", lambda _frame: sent.append(time.time() * 1000))

    page.on("websocket", watch)
    cpu0, start = _cpu(pid), time.monotonic()
    page.goto(url)
    drawn = ".leaflet-overlay-pane *, .leaflet-marker-pane *"
    page.frame_locator(MAP).first.locator(drawn).first.wait_for(timeout=180_000)
    page.get_by_text(" shown of ").first.wait_for(timeout=180_000)
    out = {f"first_paint_{visit}_playwright_s": time.monotonic() - start}
    out[f"first_paint_{visit}_server_cpu_s"] = _cpu(pid) - cpu0
    page.wait_for_function("() => window.__painted !== undefined", timeout=10_000)
    out[f"first_paint_{visit}_s"] = float(page.evaluate("() => window.__painted")) / 1000
    for part in (FILTERS, TABLE, CHART):  # sent once the map has drawn (map_page.py)
        page.locator(part).first.wait_for(timeout=180_000)
    out[f"page_complete_{visit}_playwright_s"] = time.monotonic() - start
    page.wait_for_function("() => window.__complete !== undefined", timeout=10_000)
    out[f"page_complete_{visit}_s"] = float(page.evaluate("() => window.__complete")) / 1000
    out[f"page_complete_{visit}_server_cpu_s"] = _cpu(pid) - cpu0
    if visit == "cold":
        context.close()
        return out
    if editor:
        _sign_in(page)
    page.wait_for_timeout(2500)  # the map reports its extent once; let that rerun finish
    if shot:
        page.screenshot(path=shot, full_page=False)
    _frame(page).evaluate(WATCH)
    steps: dict[str, list[float]] = {"filter": [], "pan": [], "zoom": [], "filter_cpu": []}
    for _ in range(repeat):
        for change in ("add", "remove"):  # each step undone by the next: same work each round
            cpu0, t0 = _cpu(pid), _now(page)
            _change_type(page, "Mass grave", change)
            last = _settled(page, t0)
            asked = next((t for t in sent if t >= t0), t0)  # Enter: the rerun is requested
            steps["filter"].append((last - asked) / 1000)
            steps["filter_cpu"].append(_cpu(pid) - cpu0)
        for move in ("[240, 0]", "[-240, 0]"):
            t0 = _now(page)
            _frame(page).evaluate(f"() => {{ window.map.panBy({move}, {{animate: false}}); }}")
            steps["pan"].append((_settled(page, t0, timeout_s=8) - t0) / 1000)
        for delta in ("+ 2", "- 2"):
            t0 = _now(page)
            _frame(page).evaluate(f"() => {{ window.map.setZoom(window.map.getZoom() {delta}); }}")
            steps["zoom"].append((_settled(page, t0, timeout_s=8) - t0) / 1000)
    if os.environ.get("BENCH_DEBUG"):
        print(steps)
    for name, values in steps.items():
        done = sorted(v for v in values if v == v)  # NaN: the layer did not need to change
        key = "filter_server_cpu_s" if name == "filter_cpu" else f"{name}_s"
        out[key] = float(done[len(done) // 2]) if done else float("nan")
        out[f"{name}_redraws"] = float(len(done))
    context.close()
    return out


def _returning(browser: Any, url: str) -> dict[str, float]:
    """A visitor coming back: the same browser profile, so Streamlit's 153 script files
    are in its cache (they are kept for a year), and a new page. The warm and first-visit
    figures start from an empty cache, as a first-time visitor's browser does."""
    context = browser.new_context(viewport={"width": 1400, "height": 1500})
    context.add_init_script(PAINTED)
    out: dict[str, float] = {}
    for _ in range(2):  # the first fills the cache, the second is timed
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.__complete !== undefined", timeout=180_000)
        painted, complete = page.evaluate("() => [window.__painted, window.__complete]")
        out = {"first_paint_return_s": painted / 1000, "page_complete_return_s": complete / 1000}
        page.close()
    context.close()
    return out


# The figures a visitor feels, and their targets (seconds; issue 15).
SUMMARY = (
    ("first paint (warm)", "first_paint_warm_s", None),
    ("whole page (warm)", "page_complete_warm_s", 2.0),
    ("whole page (first visit)", "page_complete_cold_s", 3.0),
    ("filter change", "filter_s", 0.3),
    ("whole page (returning)", "page_complete_return_s", None),
)


def summary(figures: dict[str, float]) -> list[str]:
    """One line per figure a visitor feels, with its target and whether it is met."""
    lines = []
    for label, key, target in SUMMARY:
        value = figures.get(key, float("nan"))
        aim = "" if target is None else f"  target <= {target:.1f} s: "
        if target is not None:
            aim += "met" if value <= target else "NOT met"
        lines.append(f"  {label:26s} {value:6.2f} s{aim}")
    for visit in ("warm", "cold"):
        cpu = figures.get(f"page_complete_{visit}_server_cpu_s", float("nan"))
        lines.append(f"  server CPU, whole page ({visit}) {cpu:5.2f} s")
    start = figures.get("server_start_s", float("nan"))
    lines.append(f"  server start to answering  {start:6.2f} s")
    return lines


def _store_for(source: str, tmp: Path) -> str:
    """The store to serve: a CSV is imported (the real importer) into a GeoPackage."""
    if not source.lower().endswith(".csv"):
        return source
    from incidents.access import Role, Viewer
    from incidents.importer import import_file
    from incidents.store import open_store

    path = tmp / "example.gpkg"
    import_file(Path(source), open_store(str(path)), Viewer("bench-loader", Role.EDITOR))
    return str(path)


LANGUAGE_TARGET_S = 0.1  # a filter change in Arabic or French against one in English


def _language_page(browser: Any, url: str, lang: str) -> tuple[Any, list[float], str]:
    """A page reading lang, its map drawn and watched; the rerun requests it sends; the
    Mass grave type's label in lang (what a person types into the Type filter)."""
    from incidents import translation
    from incidents.schema import INCIDENT_TYPES

    translation.set_language(lang)
    label = INCIDENT_TYPES.shown("mass_grave")
    headline = {"en": " shown of ", "ar": " من أصل ", "fr": " sur "}[lang]
    page = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _f: sent.append(time.time() * 1e3)))
    page.goto(f"{url}/?lang={lang}")
    page.frame_locator(MAP).first.locator(".leaflet-overlay-pane *").first.wait_for(timeout=180_000)
    page.get_by_text(headline).first.wait_for(timeout=180_000)
    page.locator(FILTERS).first.wait_for(timeout=180_000)
    page.wait_for_timeout(2500)  # the map reports its extent once; let that rerun finish
    _frame(page).evaluate(WATCH)
    return page, sent, label


def languages_run(store: str, languages: list[str], repeat: int) -> dict[str, float]:
    """A filter change timed in each language, the languages taking turns each round."""
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {lang: [] for lang in languages}
    cpu: dict[str, list[float]] = {lang: [] for lang in languages}  # the server's seconds
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(store, Path(tmp))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                pages = {lang: _language_page(browser, url, lang) for lang in languages}
                for _ in range(repeat):
                    for lang, (page, sent, label) in pages.items():
                        for change in ("add", "remove"):
                            cpu0, t0 = _cpu(proc.pid), _now(page)
                            _change_type(page, label, change)
                            last = _settled(page, t0)
                            asked = next((t for t in sent if t >= t0), t0)
                            times[lang].append((last - asked) / 1000)
                            cpu[lang].append(_cpu(proc.pid) - cpu0)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    if os.environ.get("BENCH_DEBUG"):
        print(times, cpu)
    out = {}
    for lang in languages:
        for key, values in ((f"filter_{lang}_s", times[lang]), (f"filter_{lang}_cpu_s", cpu[lang])):
            done = sorted(v for v in values if v == v)
            out[key] = float(done[len(done) // 2]) if done else float("nan")
    return out


def languages_summary(figures: dict[str, float], languages: list[str]) -> list[str]:
    """Each language's filter change, and what it costs over the first language."""
    base, lines = languages[0], []
    for lang in languages:
        value, cpu = figures[f"filter_{lang}_s"], figures[f"filter_{lang}_cpu_s"]
        line = f"  filter change, {lang:2s}  {value:6.2f} s (server CPU {cpu:5.2f} s)"
        if lang != base:
            cost = value - figures[f"filter_{base}_s"]
            met = "met" if cost <= LANGUAGE_TARGET_S else "NOT met"
            line += f"  {cost:+.2f} s over {base}; target <= {LANGUAGE_TARGET_S:.1f} s: {met}"
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("store")
    parser.add_argument("--shot")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--editor", action="store_true", help="time the steps signed in")
    parser.add_argument("--languages", help="e.g. en,ar: time a filter change in each")
    args = parser.parse_args()
    if args.languages:
        languages = [code.strip() for code in args.languages.split(",") if code.strip()]
        with tempfile.TemporaryDirectory() as tmp:
            figures = languages_run(_store_for(args.store, Path(tmp)), languages, args.repeat)
        print(json.dumps(figures, sort_keys=True))
        print(f"A filter change by language ({args.store}, load {os.getloadavg()[0]:.1f}):")
        print("\n".join(languages_summary(figures, languages)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        store = _store_for(args.store, Path(tmp))
        figures = run(store, args.shot, args.repeat, args.editor)
    for key, value in figures.items():
        print(f"  {key:32s} {value:10.3f}")
    print(json.dumps(figures, sort_keys=True))
    print(f"What a visitor feels ({args.store}, load average {os.getloadavg()[0]:.1f}):")
    print("\n".join(summary(figures)))


if __name__ == "__main__":
    main()
