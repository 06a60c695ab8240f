"""A small SMTP server on 127.0.0.1 that keeps what it receives, for the end-to-end
tests: the app's notices go to it through its 'local relay' setting."""

import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def say(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.say("220 avvik-e2e ESMTP")
        message = {"from": None, "to": [], "data": ""}
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            upper = line.upper()
            if upper.startswith(("EHLO", "HELO")):
                self.say("250-avvik-e2e")
                self.say("250 8BITMIME")
            elif upper.startswith("MAIL FROM:"):
                message["from"] = line[10:].strip()
                self.say("250 ok")
            elif upper.startswith("RCPT TO:"):
                message["to"].append(line[8:].strip())
                self.say("250 ok")
            elif upper == "DATA":
                self.say("354 end with .")
                lines = []
                while True:
                    l = self.rfile.readline().decode("utf-8", "replace").rstrip("\r\n")
                    if l == ".":
                        break
                    lines.append(l)
                message["data"] = "\n".join(lines)
                self.server.received.append(dict(message))
                message = {"from": None, "to": [], "data": ""}
                self.say("250 queued")
            elif upper == "QUIT":
                self.say("221 bye")
                return
            else:
                self.say("250 ok" if upper in ("RSET", "NOOP") else "502 not implemented")


class SmtpSink:
    def __init__(self):
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.received = []
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def received(self):
        return list(self.server.received)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
