#!/usr/bin/env python3
"""Cold start and memory of the real Avvik window, for the benchmark (issue 9).

Starts the app N times the way the end-to-end tests do (WebKitWebDriver, a throw-away
data folder, under a display) and reports the time from starting it to the first usable
screen (an element of the first-run or register screen is present) and the resident
memory of the app and its WebKit processes (WebKitWebProcess, WebKitNetworkProcess),
summed over the process tree from /proc, a few seconds after that screen. With --store
it also starts with that store copied into the data folder, unlocks it, signs in and
times the register as it appears. Writes JSON for `avvik-bench` (see `cargo xtask bench
--app`). Standard library only.

    xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- python3 tests/e2e/coldstart.py \\
        --app target/bench-fast/avvik-desktop --out target/bench/coldstart.json
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Driver  # noqa: E402
import x11  # noqa: E402

FIRST_SCREEN = "#register, #register-empty, #setup-heading, #signin-heading, #unlock-heading"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children():
    """Every process's parent, from /proc."""
    parent = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces.
        fields = stat[stat.rindex(")") + 2:].split()
        parent[int(pid)] = int(fields[1])
    kids = {}
    for pid, ppid in parent.items():
        kids.setdefault(ppid, []).append(pid)
    return kids


def alive(pid):
    """Whether a process exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def tree(root):
    kids = children()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(kids.get(pid, []))
    return out


def memory(pid):
    """(name, RSS, PSS, anonymous) of one process in kB, or None when it is gone. The
    anonymous part is the process's own (heaps, JavaScript, pixel buffers); the rest of
    its RSS is mapped files, mostly shared libraries that other programs share too."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            name = f.read().strip()
        rss = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        pss = anon = 0
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss = int(line.split()[1])
                    elif line.startswith("Anonymous:"):
                        anon = int(line.split()[1])
        except OSError:
            pass
        return name, rss, pss, anon
    except OSError:
        return None


class Runner:
    def __init__(self, args):
        self.app = os.path.abspath(args.app)
        self.settle = args.settle
        self.driver = None
        self.proc = None
        self.log = open(os.devnull, "w")

    def start(self, data):
        port = free_port()
        env = dict(os.environ, TAURI_WEBVIEW_AUTOMATION="true", AVVIK_DATA_DIR=data,
                   AVVIK_NO_KEYCHAIN="1")
        self.proc = subprocess.Popen(["WebKitWebDriver", f"--port={port}", "--host=127.0.0.1"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.driver = Driver(f"http://127.0.0.1:{port}")
        self.driver.wait_ready(timeout=20)

    def app_pids(self):
        """The app under the driver, and everything it started."""
        app = [p for p in children().get(self.proc.pid, [])
               if os.path.realpath(f"/proc/{p}/exe") == os.path.realpath(self.app)]
        return tree(app[0]) if app else []

    def sample_memory(self):
        """RSS, PSS and anonymous memory in MB summed over the app's process tree, and
        the RSS of each process by name."""
        per = {}
        rss = pss = anon = 0
        for pid in self.app_pids():
            m = memory(pid)
            if m is None:
                continue
            name, r, p, a = m
            rss += r
            pss += p
            anon += a
            per[name] = per.get(name, 0) + r
        return rss / 1024, pss / 1024, anon / 1024, {k: v / 1024 for k, v in per.items()}

    def stop(self):
        # The app allows one instance per user session (a second start hands over to the
        # first and exits), so the next start waits until this one is gone.
        pids = self.app_pids() if self.proc else []
        if self.driver and self.driver.session:
            try:
                self.driver.end_session()
            except Exception:  # noqa: BLE001 - the app may already be gone
                pass
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        deadline = time.monotonic() + 15
        while any(alive(p) for p in pids):
            if time.monotonic() > deadline:
                for p in pids:
                    if alive(p):
                        os.kill(p, signal.SIGKILL)
                break
            time.sleep(0.1)
        self.driver = self.proc = None

    def first_run(self):
        """A first start: an empty data folder, so the set-up screen."""
        data = tempfile.mkdtemp(prefix="avvik-coldstart-")
        try:
            self.start(data)
            started = time.monotonic()
            self.driver.new_session(self.app)
            self.driver.wait_for(FIRST_SCREEN, timeout=30)
            ms = (time.monotonic() - started) * 1000
            time.sleep(self.settle)
            return (ms, *self.sample_memory())
        finally:
            self.stop()
            shutil.rmtree(data, ignore_errors=True)

    def with_store(self, store, passphrase, password, timeout):
        """A start with `store` in the data folder: locked (no keychain here), unlocked,
        signed in, the overview, the register. Returns what was measured; a step that
        fails or takes longer than `timeout` seconds ends the run with an "error"."""
        data = tempfile.mkdtemp(prefix="avvik-coldstart-")
        result = {"timeout_s": timeout}
        try:
            shutil.copyfile(store, os.path.join(data, "avvik.sqlite3"))
            self.start(data)
            d = self.driver

            def timed(key, action, css, wait):
                started = time.monotonic()
                action()
                d.wait_for(css, timeout=wait)
                result[key] = (time.monotonic() - started) * 1000

            timed("locked_screen_ms", lambda: d.new_session(self.app), "#unlock-heading", 30)
            d.type(d.find("#unlock-passphrase"), passphrase)
            timed("unlock_ms", lambda: d.click(d.find("#unlock-submit")), "#signin-heading", timeout)
            d.type(d.find("#signin-username"), "leder")
            d.type(d.find("#signin-password"), password)
            # A handler's first screen is the overview, ready once its figures are in.
            timed("home_ms", lambda: d.click(d.find("#signin-submit")),
                  '#dashboard[aria-busy="false"], #register tbody tr, #register-empty', timeout)
            timed("register_ms",
                  lambda: None if d.find_all("#register") else d.click(d.find("#nav-register")),
                  "#register tbody tr, #register-empty", timeout)
            result["rows"] = d.execute("return document.querySelectorAll('#register tbody tr').length")
        except Exception as e:  # noqa: BLE001 - reported in the table with what was measured
            result["error"] = f"{type(e).__name__}: {e}"
        try:
            time.sleep(self.settle)
            rss, pss, anon, per = self.sample_memory()
            result.update({"rss_mb": rss, "pss_mb": pss, "anon_mb": anon, "per_process_mb": per})
        finally:
            self.stop()
            shutil.rmtree(data, ignore_errors=True)
        return result


def drawn(title="Avvik", minimum=40):
    """Whether the window shows a drawn screen (text and widgets: many colours)."""
    try:
        return x11.colours(title) >= minimum
    except Exception:  # noqa: BLE001 - the window may go while it is read
        return False


def wait(predicate, timeout, step=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def tray_run(app, settle):
    """The light resident (issue 18): the app started as a person starts it (no WebDriver,
    so it has its tray), its window closed with the title bar's × (a WM_DELETE_WINDOW
    message), its memory read while in the tray, then opened again by a second start (as
    the launcher does) and timed until the window is drawn."""
    data = tempfile.mkdtemp(prefix="avvik-tray-")
    env = dict(os.environ, AVVIK_DATA_DIR=data, AVVIK_NO_KEYCHAIN="1")
    env.pop("TAURI_WEBVIEW_AUTOMATION", None)
    log = open(os.devnull, "w")
    proc = subprocess.Popen([app], env=env, stdout=log, stderr=subprocess.STDOUT)
    result = {}
    pids = lambda: tree(proc.pid)  # noqa: E731

    def sample():
        rss = pss = anon = 0
        per = {}
        for pid in pids():
            m = memory(pid)
            if m is None:
                continue
            name, r, p, a = m
            rss, pss, anon = rss + r, pss + p, anon + a
            per[name] = round(per.get(name, 0) + r / 1024)
        return {"rss_mb": rss / 1024, "pss_mb": pss / 1024, "anon_mb": anon / 1024, "per_process_mb": per}

    def webkit():
        return [p for p in pids() if (memory(p) or ("",))[0].startswith("WebKit")]

    try:
        if not wait(drawn, 30):
            raise RuntimeError("the window was never drawn")
        time.sleep(settle)
        result["open"] = sample()
        if not x11.close_window("Avvik"):
            raise RuntimeError("no window to close")
        closed = time.monotonic()
        if not wait(lambda: not x11.windows_named("Avvik"), 10):
            raise RuntimeError("the window stayed after its × (no tray here?)")
        if not wait(lambda: not webkit(), 30, 0.1):
            raise RuntimeError(f"WebKit processes stayed in the tray: {webkit()}")
        result["webkit_gone_ms"] = (time.monotonic() - closed) * 1000
        if proc.poll() is not None:
            raise RuntimeError("the app quit instead of staying in the tray")
        time.sleep(settle)
        result["tray"] = sample()
        started = time.monotonic()
        second = subprocess.run([app], env=env, stdout=log, stderr=subprocess.STDOUT, timeout=30)
        if not wait(drawn, 30):
            raise RuntimeError("the window was not drawn again")
        result["reopen_ms"] = (time.monotonic() - started) * 1000
        result["second_start_exit"] = second.returncode
    except Exception as e:  # noqa: BLE001 - reported with what was measured
        result["error"] = f"{type(e).__name__}: {e}"
    finally:
        gone = pids()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        wait(lambda: not any(alive(p) for p in gone), 15, 0.1)
        shutil.rmtree(data, ignore_errors=True)
    return result


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--app", required=True, help="the desktop binary (an optimised build)")
    p.add_argument("--runs", type=int, default=10, help="first-run starts to time")
    p.add_argument("--settle", type=float, default=3.0, help="seconds idle before memory is read")
    p.add_argument("--out", required=True, help="the JSON file to write")
    p.add_argument("--store", help="also start with this store (the bench's register)")
    p.add_argument("--passphrase", help="the store's passphrase")
    p.add_argument("--password", help="the password of the user `leder` in that store")
    p.add_argument("--bench-cache", help="the bench's cache folder: --store and its secrets from its current.json")
    p.add_argument("--store-runs", type=int, default=2)
    p.add_argument("--tray-runs", type=int, default=3, help="closes to the tray to measure")
    p.add_argument("--timeout", type=float, default=300,
                   help="seconds to wait for each screen with the store")
    args = p.parse_args()
    if args.bench_cache:
        with open(os.path.join(args.bench_cache, "current.json")) as f:
            current = json.load(f)
        args.store = args.store or current["register"]
        args.passphrase = args.passphrase or current["passphrase"]
        args.password = args.password or current["password"]
    r = Runner(args)
    starts, rss, pss, anon, per = [], [], [], [], []
    for i in range(args.runs):
        ms, mb, pmb, amb, breakdown = r.first_run()
        starts.append(ms)
        rss.append(mb)
        pss.append(pmb)
        anon.append(amb)
        per.append(breakdown)
        print(f"start {i + 1}: {ms:.0f} ms to the first screen, {mb:.0f} MB RSS "
              f"({pmb:.0f} MB PSS, {amb:.0f} MB anonymous)", flush=True)
    names = sorted({n for b in per for n in b})
    breakdown = ", ".join(f"{n} {statistics.median(b.get(n, 0) for b in per):.0f} MB" for n in names)
    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
        "app": args.app,
        "first_screen_ms": starts,
        "rss_mb": rss,
        "pss_mb": pss,
        "anon_mb": anon,
        "breakdown": f"median RSS per process: {breakdown}" if names else "",
        "note": "a first start (empty data folder: the set-up screen), WebDriver session set-up included",
    }
    trays = []
    for i in range(args.tray_runs):
        run = tray_run(os.path.abspath(args.app), args.settle)
        print(f"in the tray {i + 1}: {json.dumps(run)}", flush=True)
        trays.append(run)
    result["tray"] = trays
    if args.store:
        runs = []
        for i in range(args.store_runs):
            run = r.with_store(args.store, args.passphrase, args.password, args.timeout)
            print(f"with the store {i + 1}: {json.dumps(run)}", flush=True)
            runs.append(run)
        result["with_store"] = runs
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
