"""Submits the contract's example job to one or more Spool replicas over 32 keep-alive connections, spread round
the replicas, and prints the rate and the latency of the submits.

usage: cluster_load.py HOST:PORT[,HOST:PORT...] KEY (--seconds S | --jobs N)
"""
import argparse
import http.client
import json
import threading
import time

parser = argparse.ArgumentParser()
parser.add_argument("hosts")
parser.add_argument("key")
group = parser.add_mutually_exclusive_group(required=True)
group.add_argument("--seconds", type=float)
group.add_argument("--jobs", type=int)
arguments = parser.parse_args()

hosts = [tuple(host.split(":")) for host in arguments.hosts.split(",")]
body = json.dumps({"model": "kling-video-o3-pro-reference-to-video", "input": {
    "prompt": "@Element1 walks through @Image1", "input_image": ["https://example.com/scene.png"],
    "elements": [{"frontal_image_url": "https://example.com/face.png",
                  "reference_image_urls": ["https://example.com/side.png"]}], "duration": 5}})
headers = {"Authorization": f"Bearer {arguments.key}", "Content-Type": "application/json"}
lock = threading.Lock()
sent = [0]
latencies = []
deadline = time.time() + arguments.seconds if arguments.seconds else None


def take_one():
    with lock:
        if deadline is not None:
            return time.time() < deadline
        if sent[0] >= arguments.jobs:
            return False
        sent[0] += 1
        return True


def worker(index):
    host, port = hosts[index % len(hosts)]
    connection = http.client.HTTPConnection(host, int(port))
    mine = []
    while take_one():
        began = time.perf_counter()
        connection.request("POST", "/v1/jobs", body, headers)
        answer = connection.getresponse()
        answer.read()
        mine.append(time.perf_counter() - began)
        if answer.status != 202:
            raise SystemExit(f"submit answered {answer.status}")
    with lock:
        latencies.extend(mine)


start = time.time()
threads = [threading.Thread(target=worker, args=(index,)) for index in range(32)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.time() - start
latencies.sort()


def percentile(fraction):
    return latencies[min(len(latencies) - 1, int(fraction * len(latencies)))] * 1000 if latencies else 0


print(f"{len(latencies)} submits in {elapsed:.2f} s: {len(latencies) / elapsed:.0f}/s, "
      f"p50 {percentile(0.5):.1f} ms, p99 {percentile(0.99):.1f} ms")
