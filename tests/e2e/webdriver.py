"""A small W3C WebDriver client (standard library only) for WebKitWebDriver."""

import base64
import json
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

# The W3C WebDriver code points of the keys without a character.
KEYS = {"Tab": "\ue004", "Enter": "\ue007", "Space": " ", "Escape": "\ue00c", "Backspace": "\ue003",
        "Left": "\ue012", "Up": "\ue013", "Right": "\ue014", "Down": "\ue015", "Shift": "\ue008"}


class WebDriverError(Exception):
    pass


class Driver:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.session = None

    def _request(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                payload = json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as e:
            try:
                detail = json.loads(e.read()).get("value", {})
            except ValueError:
                detail = {}
            raise WebDriverError(f"{method} {path}: {detail.get('error', e.code)}: {detail.get('message', '')}") from None
        return payload.get("value")

    def _s(self, path):
        return f"/session/{self.session}{path}"

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            try:
                if (self._request("GET", "/status", timeout=2) or {}).get("ready"):
                    return
            except (OSError, WebDriverError):
                pass
            if time.monotonic() > deadline:
                raise WebDriverError("WebKitWebDriver did not become ready")
            time.sleep(0.1)

    def new_session(self, binary, args=()):
        caps = {"capabilities": {"alwaysMatch": {
            "webkitgtk:browserOptions": {"binary": binary, "args": list(args)},
        }}}
        value = self._request("POST", "/session", caps, timeout=60)
        self.session = value["sessionId"]

    def end_session(self):
        if self.session:
            self._request("DELETE", self._s(""))
            self.session = None

    def find_all(self, css):
        found = self._request("POST", self._s("/elements"), {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def find(self, css):
        found = self.find_all(css)
        if not found:
            raise WebDriverError(f"no element matches {css!r}")
        return found[0]

    def xpath(self, expr):
        found = self._request("POST", self._s("/elements"), {"using": "xpath", "value": expr})
        if not found:
            raise WebDriverError(f"no element matches {expr!r}")
        return found[0][ELEMENT]

    def wait_gone(self, css, timeout=10):
        deadline = time.monotonic() + timeout
        while self.find_all(css):
            if time.monotonic() > deadline:
                raise WebDriverError(f"timed out waiting for {css!r} to go away")
            time.sleep(0.05)

    def wait_for(self, css, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            found = self.find_all(css)
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise WebDriverError(f"timed out waiting for {css!r}")
            time.sleep(0.05)

    def wait_text(self, css, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        last = None
        while True:
            try:
                last = self.text(self.find(css))
                if predicate(last):
                    return last
            except WebDriverError:
                pass
            if time.monotonic() > deadline:
                raise WebDriverError(f"timed out waiting for the text of {css!r}; last seen {last!r}")
            time.sleep(0.05)

    def text(self, element):
        return self._request("GET", self._s(f"/element/{element}/text"))

    def attribute(self, element, name):
        return self._request("GET", self._s(f"/element/{element}/attribute/{name}"))

    def property(self, element, name):
        return self._request("GET", self._s(f"/element/{element}/property/{name}"))

    def select(self, select_element, value):
        """Chooses an option of a <select> by its value, as a user would."""
        option = self._request("POST", self._s(f"/element/{select_element}/element"),
                               {"using": "css selector", "value": f'option[value="{value}"]'})
        self.click(option[ELEMENT])

    def click(self, element):
        self._request("POST", self._s(f"/element/{element}/click"), {})

    def clear(self, element):
        self._request("POST", self._s(f"/element/{element}/clear"), {})

    def type(self, element, text):
        self._request("POST", self._s(f"/element/{element}/value"), {"text": text})

    def execute(self, script, args=()):
        """Runs a script in the page (W3C execute/sync) and returns its value."""
        return self._request("POST", self._s("/execute/sync"), {"script": script, "args": list(args)})

    def execute_async(self, script, args=(), timeout=60):
        """Runs a script that calls its last argument when done (W3C execute/async)."""
        self._request("POST", self._s("/timeouts"), {"script": int(timeout * 1000)})
        return self._request("POST", self._s("/execute/async"), {"script": script, "args": list(args)},
                             timeout=timeout + 10)

    def keys(self, *keys):
        """Presses and releases each key in turn on the keyboard (W3C Actions), wherever focus is.

        A key is a character or one of KEYS' values (Tab, Enter, the arrows...); a tuple of
        keys is a chord (Shift and Tab): held down in order, let go in reverse."""
        actions = []
        for key in keys:
            chord = key if isinstance(key, tuple) else (key,)
            actions += [{"type": "keyDown", "value": k} for k in chord]
            actions += [{"type": "keyUp", "value": k} for k in reversed(chord)]
        self._request("POST", self._s("/actions"),
                      {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self._request("DELETE", self._s("/actions"))

    def screenshot(self, path):
        png = base64.b64decode(self._request("GET", self._s("/screenshot")))
        with open(path, "wb") as f:
            f.write(png)

    def screenshot_after_paint(self, path, settle=0.6):
        # A screenshot right after a DOM change can show the previous frame.
        time.sleep(settle)
        self.screenshot(path)
