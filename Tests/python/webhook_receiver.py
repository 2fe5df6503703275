"""A webhook receiver for Spool's tests, verifying every delivery with the `standardwebhooks` package.

It prints its port on the first line of stdout, then serves:
  POST /hook             a delivery: verified against the configured secrets, recorded, answered from the script
  POST /_config          {"secrets": ["whsec_…"], "script": [{"status": 500, "retry_after": "2", "delay": 0}, …]}
                         the script is consumed one entry per delivery; when it is empty, 204 is answered
  GET  /_received        every delivery so far: [{"webhook_id", "timestamp", "verified", "verified_with", "body", "at"}]
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

state = {"secrets": [], "script": [], "received": []}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self, status, body=b"", headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/_received":
            with lock:
                body = json.dumps(state["received"]).encode()
            return self._answer(200, body, {"Content-Type": "application/json"})
        self._answer(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(length)
        if self.path == "/_config":
            config = json.loads(data)
            with lock:
                state["secrets"] = config.get("secrets", state["secrets"])
                state["script"] = config.get("script", state["script"])
            return self._answer(204)
        if self.path != "/hook":
            return self._answer(404)
        headers = {name.lower(): value for name, value in self.headers.items()}
        with lock:
            secrets = list(state["secrets"])
            step = state["script"].pop(0) if state["script"] else {"status": 204}
        verified_with = []
        for secret in secrets:
            try:
                Webhook(secret).verify(data, headers)
                verified_with.append(secret)
            except WebhookVerificationError:
                pass
        with lock:
            state["received"].append({
                "webhook_id": headers.get("webhook-id"),
                "timestamp": headers.get("webhook-timestamp"),
                "signature": headers.get("webhook-signature"),
                "verified": bool(verified_with),
                "verified_with": verified_with,
                "body": json.loads(data) if data else None,
                "answered": step.get("status", 204),
                "at": time.time(),
            })
        if step.get("delay"):
            time.sleep(float(step["delay"]))
        extra = {}
        if step.get("retry_after") is not None:
            extra["Retry-After"] = str(step["retry_after"])
        self._answer(int(step.get("status", 204)), b"", extra)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
