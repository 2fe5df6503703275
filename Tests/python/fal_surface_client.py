"""Drives fal's official Python client (fal-client) against Spool's fal surface through a TLS front.

Usage: fal_surface_client.py SPOOL_API_URL   (Spool's own API, for checking the jobs the client made)

The client is pointed at Spool only by its own settings, read from the environment: FAL_KEY (a Spool team key),
FAL_QUEUE_RUN_HOST (host:port of the TLS front), FAL_RUN_HOST (the same with /run) and SSL_CERT_FILE (the front's
certificate). Steps: submit with a webhook; subscribe with logs and queue updates; status and result by id; run;
cancel; a 422. Then: every request id is a job of the key's team in GET /v1/jobs, and the webhook arrived. A
subscribe whose client_timeout ends is fal_client_timeout.py's.
Exits 0 when everything matched, 1 with a plain message on the first mismatch.
"""

import http.server
import json
import os
import sys
import threading
import time
import urllib.request

ENDPOINT = "fal-ai/kling-video/o3/pro/reference-to-video"
INPUT = {
    "prompt": "A paper boat drifts across @Image1",
    "image_urls": ["https://example.com/pond.png"],
    "duration": "5",
    "aspect_ratio": "16:9",
}


class Mismatch(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Mismatch(message)


class WebhookSink(http.server.BaseHTTPRequestHandler):
    """Collects the bodies Spool posts to the job's webhook."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        WebhookSink.received.append(json.loads(body or b"{}"))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def start_sink():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WebhookSink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def spool_jobs(api_url, key):
    request = urllib.request.Request(api_url + "/v1/jobs?limit=100", headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(request, timeout=10) as response:
        return {job["id"]: job for job in json.load(response)["data"]}


def main(api_url):
    import fal_client

    queue_host = os.environ["FAL_QUEUE_RUN_HOST"]
    sink = start_sink()
    hook = f"http://127.0.0.1:{sink.server_address[1]}/hook"

    handle = fal_client.submit(ENDPOINT, arguments=INPUT, webhook_url=hook)
    check(handle.status_url.startswith(f"https://{queue_host}/fal-ai/kling-video/requests/"),
          f"status_url does not point back at the TLS front: {handle.status_url}")

    updates = []
    output = fal_client.subscribe(ENDPOINT, arguments=INPUT, with_logs=True, on_queue_update=updates.append)
    kinds = [type(update).__name__ for update in updates]
    check("Queued" in kinds and "InProgress" in kinds, f"subscribe did not report Queued and InProgress: {kinds}")
    check(kinds.index("Queued") < kinds.index("InProgress"), f"Queued came after InProgress: {kinds}")
    check(kinds[-1] == "Completed", f"the last update is not Completed: {kinds}")
    check(any(getattr(u, "logs", None) for u in updates), "no update carried logs although with_logs=True")
    check(output.get("video", {}).get("url"), f"subscribe's output has no video: {output}")

    first = handle.get()
    check("video" in first, f"the submitted request's result has no video: {first}")
    status = fal_client.status(ENDPOINT, handle.request_id, with_logs=True)
    check(isinstance(status, fal_client.Completed), f"status by id is not Completed: {status}")
    check(fal_client.result(ENDPOINT, handle.request_id) == first, "result by id differs from the handle's")

    ran = fal_client.run(ENDPOINT, arguments=INPUT)
    check("video" in ran, f"run's output has no video: {ran}")

    doomed = fal_client.submit(ENDPOINT, arguments=INPUT)
    fal_client.cancel(ENDPOINT, doomed.request_id)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        cancelled = fal_client.status(ENDPOINT, doomed.request_id)
        if isinstance(cancelled, fal_client.Completed):
            break
        time.sleep(0.1)
    check(isinstance(cancelled, fal_client.Completed) and cancelled.error_type == "cancelled",
          f"the cancelled request did not end cancelled: {cancelled}")

    try:
        fal_client.submit(ENDPOINT, arguments={"prompt": "a boat", "duration": "99"})
        raise Mismatch("an input out of range was accepted")
    except fal_client.client.FalClientHTTPError as error:
        check(error.status_code == 422, f"a bad input answered {error.status_code}, not 422")

    key = os.environ["FAL_KEY"]
    jobs = spool_jobs(api_url, key)
    for request_id in [handle.request_id, doomed.request_id]:
        check(request_id in jobs, f"request {request_id} is not a job of the key's team")
    check(len(jobs) == 4, f"the team has {len(jobs)} jobs, not the 4 the client made")
    check(jobs[doomed.request_id]["status"] == "cancelled", "the cancelled request's job is not cancelled")

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
        body.get("data", {}).get("id") == handle.request_id for body in WebhookSink.received
    ):
        time.sleep(0.05)
    check(any(body.get("data", {}).get("id") == handle.request_id for body in WebhookSink.received),
          f"the team's webhook never got request {handle.request_id}: {WebhookSink.received}")
    sink.shutdown()


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Mismatch as mismatch:
        print(f"mismatch: {mismatch}")
        sys.exit(1)
    print("fal-client works through Spool's fal surface")
