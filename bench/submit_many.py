"""Submits N copies (with a webhook URL when a fourth argument gives one) of the contract's example job to Spool over 32 keep-alive connections and prints the rate."""
import http.client
import json
import sys
import threading
import time

host, port = sys.argv[1].split(":")
key, total = sys.argv[2], int(sys.argv[3])
webhook = sys.argv[4] if len(sys.argv) > 4 else None
body = json.dumps({"model": "kling-video-o3-pro-reference-to-video", **({"webhook_url": webhook} if webhook else {}), "input": {
    "prompt": "@Element1 walks through @Image1", "input_image": ["https://example.com/scene.png"],
    "elements": [{"frontal_image_url": "https://example.com/face.png",
                  "reference_image_urls": ["https://example.com/side.png"]}], "duration": 5}})
headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
lock, sent = threading.Lock(), [0]


def worker():
    connection = http.client.HTTPConnection(host, int(port))
    while True:
        with lock:
            if sent[0] >= total:
                return
            sent[0] += 1
        connection.request("POST", "/v1/jobs", body, headers)
        answer = connection.getresponse()
        answer.read()
        if answer.status != 202:
            raise SystemExit(f"submit answered {answer.status}")


start = time.time()
threads = [threading.Thread(target=worker) for _ in range(32)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(f"submitted {total} jobs in {time.time() - start:.2f} s")
