#!/usr/bin/env python3
"""End-to-end tests in the real Avvik window.

Starts WebKitWebDriver (Debian's webkit2gtk-driver) on a free loopback port and
drives the real app binary over W3C WebDriver, with a throw-away data folder.
Run it inside a display (the test command wraps it in xvfb-run). Standard
library only. Prints `N passed, N failed` last and exits non-zero on failure.

    python3 tests/e2e/run.py --app target/debug/avvik-desktop --cli target/debug/avvik --out target/e2e
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

from webdriver import Driver, WebDriverError


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Suite:
    def __init__(self, args):
        self.app = os.path.abspath(args.app)
        self.cli = os.path.abspath(args.cli)
        self.out = os.path.abspath(args.out)
        os.makedirs(self.out, exist_ok=True)
        self.data = tempfile.mkdtemp(prefix="avvik-e2e-")
        self.passed, self.failed = [], []
        self.driver = None
        self.state = {}

    # -- life cycle ---------------------------------------------------------

    def start_driver(self):
        port = free_port()
        env = dict(os.environ, TAURI_WEBVIEW_AUTOMATION="true", AVVIK_DATA_DIR=self.data)
        log = open(os.path.join(self.out, "webkitwebdriver.log"), "w")
        self.proc = subprocess.Popen(
            ["WebKitWebDriver", f"--port={port}", "--host=127.0.0.1"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        self.driver = Driver(f"http://127.0.0.1:{port}")
        self.driver.wait_ready(timeout=20)

    def stop(self):
        if self.driver and self.driver.session:
            try:
                self.driver.end_session()
            except Exception:
                pass
        if getattr(self, "proc", None):
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.data, ignore_errors=True)

    def launch_app(self):
        started = time.monotonic()
        self.driver.new_session(self.app)
        self.driver.wait_for("#register, #register-empty", timeout=20)
        return time.monotonic() - started

    def restart_app(self):
        self.driver.end_session()  # WebKitWebDriver closes the app with the session
        return self.launch_app()

    def check(self, name, fn):
        try:
            fn()
            self.passed.append(name)
            print(f"ok      {name}", flush=True)
        except Exception as e:  # noqa: BLE001 - every failure is reported, then the suite goes on
            self.failed.append(name)
            print(f"FAILED  {name}: {e}", flush=True)
            traceback.print_exc()
            try:
                self.driver.screenshot(os.path.join(self.out, f"failed-{name}.png"))
            except Exception:
                pass

    # -- the tests ----------------------------------------------------------

    def window_shows_the_empty_register(self):
        d = self.driver
        heading = d.text(d.find("#register-heading"))
        assert heading == "Avviksregister", heading
        empty = d.text(d.wait_for("#register-empty"))
        assert "Ingen avvik er registrert" in empty, empty
        store = d.text(d.find(".statusbar"))
        assert self.data in store, f"the app does not use the test data folder: {store!r}"
        d.screenshot_after_paint(os.path.join(self.out, "01-empty-register.png"))

    def an_empty_title_is_refused_at_the_field(self):
        d = self.driver
        d.click(d.find("#case-submit"))
        error = d.text(d.wait_for("#case-title-error"))
        assert error == "Tittel må fylles ut.", error
        field = d.find("#case-title")
        assert d.attribute(field, "aria-invalid") == "true"
        assert "case-title-error" in d.attribute(field, "aria-describedby")
        assert d.find_all("#register tbody tr") == [], "a refused case reached the register"

    def creates_a_case_through_the_form(self):
        d = self.driver
        title = "Lønnsslipp sendt til feil mottaker – æøå ÆØÅ"
        d.type(d.find("#case-title"), title)
        d.type(d.find("#case-description"), "Mottakeren varslet oss og har slettet e-posten.")
        d.click(d.find("#case-submit"))
        status = d.wait_text("#form-status", lambda t: "er registrert" in t)
        reference = status.split(" ")[0]
        assert reference.startswith("AVVIK-") and reference.endswith("-0001"), status
        row = d.wait_for(f'#register tbody tr')
        assert title in d.text(row), d.text(row)
        assert reference in d.text(row), d.text(row)
        self.state.update(title=title, reference=reference)
        d.screenshot_after_paint(os.path.join(self.out, "02-case-created.png"))

    def the_cli_sees_the_same_case(self):
        db = os.path.join(self.data, "avvik.sqlite3")
        out = subprocess.run(
            [self.cli, "--db", db, "case", "list", "--query", "ÆØÅ"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        cases = json.loads(out)
        assert [c["reference"] for c in cases] == [self.state["reference"]], cases
        assert cases[0]["title"] == self.state["title"]

    def the_case_survives_a_restart(self):
        seconds = self.restart_app()
        d = self.driver
        row = d.wait_for("#register tbody tr")
        assert self.state["reference"] in d.text(row), d.text(row)
        assert self.state["title"] in d.text(row), d.text(row)
        print(f"        (restart to a usable window: {seconds:.2f} s)")
        d.screenshot_after_paint(os.path.join(self.out, "03-after-restart.png"))

    def search_and_detail(self):
        d = self.driver
        d.type(d.find("#register-search"), "finnes ikke")
        empty = d.wait_text("#register-empty", lambda t: "finnes ikke" in t)
        assert "Ingen avvik passer" in empty, empty
        d.clear(d.find("#register-search"))
        d.type(d.find("#register-search"), "æøå")
        d.wait_for("#register tbody tr")
        d.click(d.find("#register tbody tr button.reference"))
        heading = d.wait_text("#detail-heading", lambda t: self.state["reference"] in t)
        assert heading == f"Avvik {self.state['reference']}", heading
        d.screenshot_after_paint(os.path.join(self.out, "04-case-detail.png"))

    def run(self):
        try:
            self.start_driver()
            seconds = self.launch_app()
            print(f"        (first start to a usable window: {seconds:.2f} s)")
            for name in [
                "window_shows_the_empty_register",
                "an_empty_title_is_refused_at_the_field",
                "creates_a_case_through_the_form",
                "the_cli_sees_the_same_case",
                "the_case_survives_a_restart",
                "search_and_detail",
            ]:
                self.check(name, getattr(self, name))
        except (WebDriverError, OSError, AssertionError) as e:
            self.failed.append("setup")
            print(f"FAILED  setup: {e}", flush=True)
            traceback.print_exc()
        finally:
            self.stop()
        print(f"screenshots: {self.out}")
        print(f"{len(self.passed)} passed, {len(self.failed)} failed")
        return 0 if not self.failed and self.passed else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--app", required=True, help="the desktop binary")
    p.add_argument("--cli", required=True, help="the avvik CLI binary")
    p.add_argument("--out", default="target/e2e", help="where screenshots and logs go")
    sys.exit(Suite(p.parse_args()).run())


if __name__ == "__main__":
    main()
