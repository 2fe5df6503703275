"""Checks that fal's official Python client (fal-client, see requirements.txt) works against Spool's fal emulator.

Usage: fal_client_compat.py BASE_URL   (for instance http://127.0.0.1:9090)

The key comes from env FAL_KEY (default: a dummy key, which an emulator without --key accepts). The client is
pointed at the emulator by replacing fal_client.client.QUEUE_URL_FORMAT, the prefix it puts before endpoint ids
(the env FAL_QUEUE_RUN_HOST cannot do it: the client fixes the scheme to https). Steps: submit; subscribe with
logs, which must report Queued then InProgress with logs; result; status; the video download; cancel; a 422;
the async client. Exits 0 when everything matched, 1 with a plain message on the first mismatch.
"""

import asyncio
import os
import sys

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


def point_client_at(base):
    os.environ.setdefault("FAL_KEY", "spool-sim-key:secret")
    import fal_client
    import fal_client.client as client_module

    if not hasattr(client_module, "QUEUE_URL_FORMAT"):
        raise Mismatch(
            f"fal_client.client.QUEUE_URL_FORMAT no longer exists in fal-client {fal_client.__version__}: "
            "this script cannot point the client at the emulator; update it for this client version"
        )
    client_module.QUEUE_URL_FORMAT = base + "/"
    return fal_client


def check_subscribe(fal_client, base):
    updates = []
    output = fal_client.subscribe(ENDPOINT, arguments=INPUT, with_logs=True, on_queue_update=updates.append)
    kinds = [type(update).__name__ for update in updates]
    check("Queued" in kinds, f"subscribe never reported Queued; updates: {kinds}")
    check("InProgress" in kinds, f"subscribe never reported InProgress; updates: {kinds}")
    check(kinds.index("Queued") < kinds.index("InProgress"), f"Queued came after InProgress: {kinds}")
    check(kinds[-1] == "Completed", f"the last update is not Completed: {kinds}")
    in_progress = [u for u in updates if isinstance(u, fal_client.InProgress)]
    check(any(u.logs for u in in_progress), "no InProgress update carried logs although with_logs=True")
    for log in in_progress[-1].logs:
        check({"message", "level", "source", "timestamp"} <= set(log), f"log entry lacks fields: {log}")
    queued = [u for u in updates if isinstance(u, fal_client.Queued)]
    check(all(isinstance(u.position, int) for u in queued), "a Queued update has no integer position")
    video = output.get("video") or {}
    check(video.get("content_type") == "video/mp4", f"unexpected output: {output}")
    check(video.get("url", "").startswith(base + "/files/"), f"video URL not on the emulator: {video.get('url')}")
    return video


def check_handle(fal_client):
    handle = fal_client.submit(ENDPOINT, arguments=INPUT)
    check(handle.request_id, "submit gave no request_id")
    output = handle.get()
    check("video" in output, f"handle.get() gave {output}")
    again = fal_client.result(ENDPOINT, handle.request_id)
    check(again == output, "result() differs from the handle's output")
    status = fal_client.status(ENDPOINT, handle.request_id, with_logs=True)
    check(isinstance(status, fal_client.Completed), f"status after completion is {status}")
    check(status.logs, "a completed status with logs has no logs")
    check("inference_time" in (status.metrics or {}), f"metrics lack inference_time: {status.metrics}")
    check(status.error is None, f"a successful run reports error {status.error}")
    return handle


def check_video(video):
    import httpx

    whole = httpx.get(video["url"])
    check(whole.status_code == 200, f"video download answered {whole.status_code}")
    check(whole.content[4:8] == b"ftyp", "the video does not start with an MP4 ftyp box")
    check(len(whole.content) == video.get("file_size"), "file_size does not match the download")
    part = httpx.get(video["url"], headers={"Range": "bytes=0-99"})
    check(part.status_code == 206 and len(part.content) == 100, f"range request answered {part.status_code}")


def check_cancel(fal_client, completed_handle):
    handle = fal_client.submit(ENDPOINT, arguments=INPUT)
    handle.cancel()
    status = handle.status()
    check(isinstance(status, fal_client.Completed), f"a cancelled request reads {status}")
    check(status.error, "a cancelled request reports no error")
    try:
        completed_handle.cancel()
    except fal_client.FalClientHTTPError as error:
        check(error.status_code == 400, f"cancelling a completed request answered {error.status_code}")
    else:
        raise Mismatch("cancelling a completed request did not fail")


def check_validation(fal_client):
    try:
        fal_client.submit(ENDPOINT, arguments={"duration": "5"})
    except fal_client.FalClientHTTPError as error:
        check(error.status_code == 422, f"a missing prompt answered {error.status_code}")
        detail = error.message
        check(isinstance(detail, list) and detail and detail[0].get("loc") == ["body", "prompt"],
              f"422 detail is not fal's shape: {detail}")
    else:
        raise Mismatch("a submit without prompt was accepted")


async def check_async(fal_client):
    handle = await fal_client.submit_async(ENDPOINT, arguments=INPUT)
    kinds = [type(event).__name__ async for event in handle.iter_events(with_logs=True, interval=0.05)]
    check(kinds and kinds[-1] == "Completed", f"async events: {kinds}")
    output = await handle.get()
    check("video" in output, f"async handle.get() gave {output}")


def main():
    if len(sys.argv) != 2:
        print("usage: fal_client_compat.py BASE_URL", file=sys.stderr)
        return 2
    base = sys.argv[1].rstrip("/")
    try:
        fal_client = point_client_at(base)
        video = check_subscribe(fal_client, base)
        handle = check_handle(fal_client)
        check_video(video)
        check_cancel(fal_client, handle)
        check_validation(fal_client)
        asyncio.run(check_async(fal_client))
    except Mismatch as mismatch:
        print(f"fal-client compatibility FAILED: {mismatch}", file=sys.stderr)
        return 1
    except Exception as error:  # the client itself failed: report what and where
        print(f"fal-client compatibility FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(f"fal-client compatibility: all checks passed against {base}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
