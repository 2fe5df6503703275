"""Checks what becomes of a request when fal's Python client gives up on it: subscribe(client_timeout=) cancels it.

Usage: fal_client_timeout.py honour|ignore SPOOL_API_URL

Run like fal_surface_client.py (FAL_KEY, FAL_QUEUE_RUN_HOST, FAL_RUN_HOST, SSL_CERT_FILE), with the key of a team
whose fal_surface_cancels setting is the first argument, against an emulator whose runs take well over
CLIENT_TIMEOUT; the client sends its cancel when its client_timeout ends.
- honour: the job ends cancelled. start_timeout=60 is passed so that the job's deadline (X-Fal-Request-Timeout,
  which the client otherwise sets to client_timeout) is 60 s, and the cancel, not the deadline, ends it.
- ignore: the client still stops cleanly with its timeout error, and the job runs on to completed; it has no
  deadline, although the client sent X-Fal-Request-Timeout: CLIENT_TIMEOUT.
Exits 0 when everything matched, 1 with a plain message on the first mismatch.
"""

import json
import os
import sys
import time
import urllib.request
import warnings

ENDPOINT = "fal-ai/kling-video/o3/pro/reference-to-video"
INPUT = {
    "prompt": "A paper boat drifts across @Image1",
    "image_urls": ["https://example.com/pond.png"],
    "duration": "5",
}
CLIENT_TIMEOUT = 3


class Mismatch(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Mismatch(message)


def spool_job(api_url, job_id):
    request = urllib.request.Request(
        f"{api_url}/v1/jobs/{job_id}", headers={"Authorization": "Bearer " + os.environ["FAL_KEY"]}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def ended(api_url, job_id):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = spool_job(api_url, job_id)
        if job["status"] in ("completed", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise Mismatch(f"job {job_id} did not end within 60 s")


def main(mode, api_url):
    import fal_client

    extra = {"start_timeout": 60} if mode == "honour" else {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # start_timeout above client_timeout, on purpose
            fal_client.subscribe(ENDPOINT, arguments=INPUT, client_timeout=CLIENT_TIMEOUT, **extra)
        raise Mismatch(f"subscribe outlived its client_timeout of {CLIENT_TIMEOUT} s")
    except fal_client.client.FalClientTimeoutError as timeout:
        abandoned = timeout.request_id
    check(abandoned is not None, "the client timed out before its submit was answered")

    job = ended(api_url, abandoned)
    if mode == "honour":
        check(job["status"] == "cancelled", f"the cancel sent on the client's timeout was not honoured: {job['status']}")
        check(job["deadline_at"] is not None, "X-Fal-Request-Timeout (start_timeout=60) did not become the deadline")
    else:
        check(job["status"] == "completed", f"the job did not run on after the ignored cancel: {job['status']}")
        check(job["deadline_at"] is None, f"the client's timeout became a deadline: {job['deadline_at']}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("honour", "ignore"):
        print("usage: fal_client_timeout.py honour|ignore SPOOL_API_URL", file=sys.stderr)
        sys.exit(2)
    try:
        main(sys.argv[1], sys.argv[2])
    except Mismatch as mismatch:
        print(f"mismatch ({sys.argv[1]}): {mismatch}")
        sys.exit(1)
    print(f"fal-client's client_timeout cancel is {sys.argv[1]}ed as the team says")
