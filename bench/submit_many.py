"""Submits N copies (with a webhook URL when a fourth argument gives one) of the contract's example job to Spool over 32 keep-alive connections and prints the rate.

The connections are spread over 4 processes of 8 threads each: one Python process spends a whole core on its
own share of the HTTP work (the interpreter lock), and would then measure itself rather than the gateway."""
import http.client
import json
import multiprocessing
import sys
import threading
import time

PROCESSES, THREADS = 4, 8
host, port = sys.argv[1].split(":")
key, total = sys.argv[2], int(sys.argv[3])
webhook = sys.argv[4] if len(sys.argv) > 4 else None
body = json.dumps({"model": "kling-video-o3-pro-reference-to-video", **({"webhook_url": webhook} if webhook else {}), "input": {
    "prompt": "@Element1 walks through @Image1", "input_image": ["https://example.com/scene.png"],
    "elements": [{"frontal_image_url": "https://example.com/face.png",
                  "reference_image_urls": ["https://example.com/side.png"]}], "duration": 5}})
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


def submit(count):
    """Sends `count` submits over THREADS connections of this process."""
    lock, sent = threading.Lock(), [0]

    def worker():
        connection = http.client.HTTPConnection(host, int(port))
        while True:
            with lock:
                if sent[0] >= count:
                    return
                sent[0] += 1
            connection.request("POST", "/v1/jobs", body, headers)
            answer = connection.getresponse()
            answer.read()
            if answer.status != 202:
                raise SystemExit(f"submit answered {answer.status}")

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    shares = [total // PROCESSES + (1 if index < total % PROCESSES else 0) for index in range(PROCESSES)]
    start = time.time()
    with multiprocessing.Pool(PROCESSES) as pool:
        pool.map(submit, shares)
    print(f"submitted {total} jobs in {time.time() - start:.2f} s")
