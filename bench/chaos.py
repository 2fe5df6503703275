"""The chaos harness behind `make chaos` (started by bench/chaos.sh, which runs the emulator).

Cycles of mixed load against one gateway: idempotent submits at a steady rate, cancels of a share of them, event
stream readers on others. Once per cycle, at a random moment, the gateway is stopped with kill -9 or SIGTERM (seeded)
and started again on the same database. Then everything drains and a table says what became of every acknowledged
submit, and what the emulator received. Exit status 1 when a job was lost, stuck, failed without an injected final
fault, or an idempotency key produced a second job.
"""
import argparse
import heapq
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

ADMIN_KEY = "chaos-admin-key"
MODEL = "kling-video-o3-pro-reference-to-video"
TERMINAL = {"completed", "failed", "cancelled"}
CANCEL_SHARE, SSE_SHARE, REPLAYS_PER_RESTART = 0.2, 0.2, 10
# Error codes the failure table calls final for a fault this harness can inject: only a run the emulator made fail
# (--run-error-rate) justifies a failed job; 5xx, 429 and dropped connections are transient and justify none.
FINAL_FOR_RUN_FAILURE = {"upstream_validation", "upstream_error"}
# The rescuer's log lines (JobRescuer): a job at fal nothing followed, or one without a request id. Either means a
# path that drops a job's follower was missed; the run still passes when the rescue saved the job.
RESCUE_LINES = {"followed": "a job at fal was not followed", "requeued": "a job at fal had no fal request id"}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("spool", "sim", "gateway", "database", "log"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--cycle-seconds", type=float, default=12)
    parser.add_argument("--rate", type=float, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--drain-seconds", type=float, default=180)
    parser.add_argument("--log-level", default="warning", help="the gateway's log level (info shows every retry)")
    return parser.parse_args()


def call(address, method, path, body=None, headers=None, timeout=15):
    """One request on a fresh connection: (status, parsed JSON or None). Raises OSError when the gateway is away."""
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.request(method, path, None if body is None else json.dumps(body),
                           {"Authorization": f"Bearer {ADMIN_KEY}", "Content-Type": "application/json",
                            **(headers or {})})
        answer = connection.getresponse()
        data = answer.read()
        try:
            return answer.status, json.loads(data) if data else None
        except ValueError:
            return answer.status, None
    except http.client.HTTPException as error:
        raise OSError(str(error)) from error
    finally:
        connection.close()


def job_body(key):
    """The contract's example job, its prompt naming the idempotency key so that fal's request log names the job."""
    return {"model": MODEL, "input": {
        "prompt": f"@Element1 walks through @Image1 [{key}]", "input_image": ["https://example.com/scene.png"],
        "elements": [{"frontal_image_url": "https://example.com/face.png",
                      "reference_image_urls": ["https://example.com/side.png"]}], "duration": 5}}


def key_in(text):
    """The idempotency key a prompt (or a submit body carrying it) names, or None."""
    start = text.find("[chaos-")
    end = text.find("]", start)
    return text[start + 1:end] if start >= 0 and end > start else None


def unix_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Gateway:
    """The `spool serve` process under test: started, stopped with a signal, started again on the same database."""

    def __init__(self, options):
        self.options, self.process = options, None
        self.environment = {**os.environ, "SPOOL_DB": options.database, "SPOOL_LISTEN": options.gateway,
                            "FAL_KEY": "chaos-fal-key", "SPOOL_FAL_QUEUE_URL": f"http://{options.sim}",
                            "SPOOL_ADMIN_KEY": ADMIN_KEY, "SPOOL_FAL_POLL_INTERVAL": "0.5",
                            "SPOOL_MAX_INFLIGHT": "64"}
        for name in ("SPOOL_PUBLIC_URL", "SPOOL_DATABASE_URL"):
            self.environment.pop(name, None)
        # Submit retries back off to 5 s at most, so that a job refused many times in a row still ends within the drain.
        self.environment["SPOOL_CONFIG"] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "chaos-config.json")

    def start(self):
        with open(self.options.log, "ab") as log:
            self.process = subprocess.Popen([self.options.spool, "serve", "--log-level", self.options.log_level],
                                            env=self.environment, stdout=log, stderr=log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the gateway exited with {self.process.returncode} at start; see {self.options.log}")
            try:
                if call(self.options.gateway, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise SystemExit("the gateway did not answer /healthz within 60 s")

    def stop(self, how):
        """Sends SIGKILL or SIGTERM and waits for the exit; returns the seconds it took to exit."""
        started = time.time()
        self.process.send_signal(signal.SIGKILL if how == "kill -9" else signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return time.time() - started

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Load:
    """Submits, cancels and event-stream readers, running on threads until `stop` is set."""

    def __init__(self, options, rng):
        self.options, self.rng = options, rng
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acked = {}            # idempotency key → job id, for every 202/200 answered
        self.unacked = set()       # keys whose submit got no answer (gateway away): retried with the same key
        self.replays, self.replay_conflicts = 0, []
        self.cancel_accepted = set()
        self.cancels = Counter()   # outcome of each cancel request: accepted, already_terminal, ...
        self.streams = Counter()   # event-stream readers: opened, ended, resumed, out_of_order, gave_up
        self.stream_final = {}     # job id → the last status an event stream showed
        self.examples = defaultdict(list)  # kind of anomaly → one line per case, printed under the table
        self.refused = Counter()   # submits answered with a client error, by status and code (expected: none)
        self.timers, self.next_number = [], 0
        self.pool = ThreadPoolExecutor(max_workers=96)

    def run_submitter(self):
        interval, next_at = 1 / self.options.rate, time.time()
        while not self.stop.is_set():
            with self.lock:
                self.next_number += 1
                key = f"chaos-{self.options.seed}-{self.next_number}"
            self.pool.submit(self.submit, key)
            next_at += interval
            self.stop.wait(max(0.0, next_at - time.time()))

    def submit(self, key, replay=False):
        """Submits the job of `key`; True once it is acknowledged. A replay checks the id matches the first one."""
        try:
            status, job = call(self.options.gateway, "POST", "/v1/jobs", job_body(key), {"Idempotency-Key": key})
        except OSError:
            with self.lock:
                if key not in self.acked:
                    self.unacked.add(key)
            return False
        if status not in (200, 202):
            if status >= 500 or status == 429:
                with self.lock:
                    if key not in self.acked:
                        self.unacked.add(key)
                return False
            with self.lock:
                self.refused[f"{status} {(job or {}).get('error', {}).get('code', '')}"] += 1
            return False
        with self.lock:
            first = self.acked.setdefault(key, job["id"])
            self.unacked.discard(key)
            if replay:
                self.replays += 1
            if first != job["id"]:
                self.replay_conflicts.append((key, first, job["id"]))
                return True
        if not replay:
            if self.rng.random() < CANCEL_SHARE:
                self.schedule(time.time() + self.rng.uniform(0, 3), job["id"])
            elif self.rng.random() < SSE_SHARE / (1 - CANCEL_SHARE):
                threading.Thread(target=self.read_events, args=(job["id"],), daemon=True).start()
        return True

    def schedule(self, at, job_id):
        with self.lock:
            heapq.heappush(self.timers, (at, job_id, 0))

    def run_canceller(self):
        while not self.stop.is_set() or self.timers:
            with self.lock:
                due = self.timers and self.timers[0][0] <= time.time()
                entry = heapq.heappop(self.timers) if due else None
            if entry is None:
                time.sleep(0.05)
                continue
            _, job_id, tries = entry
            try:
                status, answer = call(self.options.gateway, "POST", f"/v1/jobs/{job_id}/cancel")
            except OSError:
                status, answer = None, None
            if status in (202, 409):
                outcome = "accepted" if status == 202 else (answer or {}).get("error", {}).get("code", "409")
                with self.lock:
                    self.cancels[outcome] += 1
                    if status == 202:
                        self.cancel_accepted.add(job_id)
            elif tries < 20:
                with self.lock:
                    heapq.heappush(self.timers, (time.time() + 1, job_id, tries + 1))
            else:
                with self.lock:
                    self.cancels["gave_up"] += 1

    def read_events(self, job_id):
        """Follows the job's event stream to its terminal event, resuming with Last-Event-ID after a break."""
        host, port = self.options.gateway.rsplit(":", 1)
        last_id, opened = None, False
        deadline = time.time() + self.options.cycles * self.options.cycle_seconds + self.options.drain_seconds
        while time.time() < deadline:
            headers = {"Authorization": f"Bearer {ADMIN_KEY}", "Accept": "text/event-stream"}
            if last_id is not None:
                headers["Last-Event-ID"] = str(last_id)
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                connection.request("GET", f"/v1/jobs/{job_id}/events", headers=headers)
                answer = connection.getresponse()
                if answer.status != 200:
                    raise OSError(f"events answered {answer.status}")
                with self.lock:
                    self.streams["resumed" if opened else "opened"] += 1
                opened = True
                event_id, event_name = None, None
                for raw in answer:
                    line = raw.decode().rstrip("\r\n")
                    if line.startswith("id:"):
                        event_id = int(line[3:].strip())
                    elif line.startswith("event:"):
                        event_name = line[6:].strip()
                    elif line.startswith("data:") and event_name == "status":
                        if last_id is not None and event_id is not None and event_id <= last_id:
                            with self.lock:
                                self.streams["out_of_order"] += 1
                                self.examples["event out of order"].append(f"{job_id}: event {event_id} after {last_id}")
                        last_id = event_id if event_id is not None else last_id
                        event_id = None
                        state = json.loads(line[5:])["status"]
                        with self.lock:
                            self.stream_final[job_id] = state
                        if state in TERMINAL:
                            with self.lock:
                                self.streams["ended"] += 1
                            return
            except (OSError, http.client.HTTPException, ValueError):
                pass
            finally:
                connection.close()
            time.sleep(0.5)
        with self.lock:
            self.streams["gave_up"] += 1


class FalLog:
    """What the emulator received: every submit (POST carrying a chaos prompt), collected before its bounded
    request log turns over."""

    def __init__(self, sim):
        self.sim, self.submits = sim, {}

    def collect(self):
        status, entries = call(self.sim, "GET", "/_sim/requests")
        for entry in entries or []:
            key = key_in(entry.get("body") or "") if entry["method"] == "POST" else None
            if key:
                self.submits[(entry["at"], entry["body"])] = (unix_time(entry["at"]), key)

    def accepted(self):
        """Every request the emulator accepted: [(request id, unix time)]."""
        _, state = call(self.sim, "GET", "/_sim/state")
        return [(entry["request_id"], unix_time(entry["submitted_at"])) for entry in state["requests"]]

    def received_from(self, key, start, end):
        """Whether a submit of `key` reached fal between the two times."""
        return any(k == key and start - 0.05 <= received <= end + 0.005 for received, k in self.submits.values())


def submit_attempts(job):
    """Each submit attempt in the job's history: (began, ended or None while it lasts, what came next)."""
    history = job.get("history", [])
    attempts = []
    for index, entry in enumerate(history):
        if entry["status"] == "submitting":
            following = history[index + 1] if index + 1 < len(history) else None
            attempts.append((unix_time(entry["at"]), following and unix_time(following["at"]), following))
    return attempts


def orphan_attempt(jobs, fal_log, at):
    """The job and submit attempt a fal request no job points at came from: an attempt that was under way when
    fal accepted it, did not end with the job at fal, and sent a submit fal received. (None, None) if none."""
    for key, job in jobs.items():
        for began, ended, following in submit_attempts(job):
            if began - 0.05 <= at <= (ended or float("inf")) + 0.05 and (following or {}).get("status") != "in_queue" \
                    and fal_log.received_from(key, began, at):
                return job, (began, ended, following)
    return None, None


def run_cycles(options, gateway, load, fal_log, rng):
    crashes = []
    for cycle in range(1, options.cycles + 1):
        began = time.time()
        stop_at = began + rng.uniform(0.15, 0.85) * options.cycle_seconds
        how = rng.choice(["kill -9", "SIGTERM"])
        while time.time() < stop_at:
            time.sleep(0.02)
        stopped = time.time()
        exit_seconds = gateway.stop(how)
        gateway.start()
        crashes.append({"cycle": cycle, "how": how, "at": stopped - began, "stopped": stopped,
                        "exit": exit_seconds, "down": time.time() - stopped})
        with load.lock:
            retry = sorted(load.unacked)
            replay = rng.sample(sorted(load.acked), min(REPLAYS_PER_RESTART, len(load.acked)))
        for key in retry:
            load.pool.submit(load.submit, key)
        for key in replay:
            load.pool.submit(load.submit, key, True)
        fal_log.collect()
        while time.time() < began + options.cycle_seconds:
            time.sleep(0.05)
        print(f"cycle {cycle:2d}: {how:8s} at {stopped - began:5.1f} s, exit in {exit_seconds:4.1f} s, "
              f"back after {crashes[-1]['down']:4.1f} s; {len(load.acked)} acknowledged", flush=True)
    return crashes


def drain(options, load, fal_log):
    """Retries unanswered submits with their keys, then waits (bounded) until no acknowledged job is active.
    Returns the seconds it took and the last queue depth read."""
    started = time.time()
    deadline = started + options.drain_seconds
    depth = None
    while time.time() < deadline:
        with load.lock:
            pending = sorted(load.unacked)
        if not pending:
            break
        for key in pending:
            load.submit(key)
    last_collect = 0.0
    while time.time() < deadline:
        if time.time() - last_collect > 5:
            fal_log.collect()
            last_collect = time.time()
        try:
            status, queue = call(options.gateway, "GET", "/v1/queue")
            depth = queue["depth"] if status == 200 else depth
            if status == 200 and sum(queue["depth"].values()) == 0 and not load.timers:
                break
        except OSError:
            pass
        time.sleep(0.5)
    fal_log.collect()
    return time.time() - started, depth


def log_lines(path, job_id):
    """The gateway's log lines that name the job (LOG_LEVEL=info adds every retry)."""
    with open(path, errors="replace") as log:
        return [line for line in log if job_id in line]


def describe(job):
    """The job's status, error and history on one line, for the anomalies under the table."""
    steps = "; ".join(f"{entry['at'][11:23]} {entry['status']}" + (f" ({entry['note']})" if entry.get("note") else "")
                      for entry in job.get("history", []))
    error = job.get("error") or {}
    return (f"{job['status']}" + (f" {error.get('code')}: {error.get('message')}" if error else "")
            + f", fal {job.get('fal_request_id')}; history: {steps}")


def all_jobs(options):
    """Every job the gateway lists, paging with the cursor."""
    jobs, cursor = [], None
    while True:
        path = "/v1/jobs?limit=200" + (f"&cursor={cursor}" if cursor else "")
        status, page = call(options.gateway, "GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        jobs += page["data"]
        cursor = page.get("next_cursor")
        if not cursor:
            return jobs


def report(options, load, fal_log, crashes, drained):
    jobs = {}
    for key, job_id in load.acked.items():
        status, job = call(options.gateway, "GET", f"/v1/jobs/{job_id}")
        if status == 200:
            jobs[key] = job
    per_key = Counter(key_in(job["input"].get("prompt", "")) for job in all_jobs(options))
    second_jobs = sum(count - 1 for key, count in per_key.items() if key and count > 1)
    statuses = Counter(job["status"] for job in jobs.values())
    accepted = fal_log.accepted()
    final_request = {job["fal_request_id"]: key for key, job in jobs.items() if job.get("fal_request_id")}
    _, sim_state = call(options.sim, "GET", "/_sim/state")
    run_failed = {entry["request_id"] for entry in sim_state["requests"] if entry.get("outcome") == "failed"}
    at_fal = {entry["request_id"]: entry for entry in sim_state["requests"]}

    failures = defaultdict(lambda: [0, 0])  # code → [justified, not justified]
    for job in jobs.values():
        if job["status"] == "failed":
            code = (job.get("error") or {}).get("code", "?")
            justified = job.get("fal_request_id") in run_failed and code in FINAL_FOR_RUN_FAILURE
            failures[code][0 if justified else 1] += 1
            if not justified:
                load.examples["failed by a transient fault"].append(f"{job['id']}: {describe(job)}")
    unjustified = sum(counts[1] for counts in failures.values())

    # A second acceptance at fal for one job: attribute it to the crash before which it was accepted when the job's
    # stored request was accepted after that crash (the documented window), otherwise count it as unexplained.
    # A fal request no job points at is a duplicate submit: in a crash window when the attempt that sent it was cut
    # by a crash, after a lost answer (fal accepted, the answer never came) when it ended with a transient failure;
    # anything else is unexplained.
    duplicates, per_crash, after_lost_answer, unexplained, unmatched = 0, Counter(), 0, 0, 0
    for request_id, at in sorted(accepted, key=lambda pair: pair[1]):
        if request_id in final_request:
            continue
        duplicates += 1
        job, attempt = orphan_attempt(jobs, fal_log, at)
        if job is None:
            unmatched += 1
            load.examples["fal request no job points at, its submit not found"].append(
                f"{request_id} accepted at {datetime.fromtimestamp(at).time()}")
            continue
        began, ended, following = attempt
        crash = next((c for c in crashes if began <= c["stopped"] <= (ended or float("inf"))), None)
        if crash:
            per_crash[crash["cycle"]] += 1
        elif "transient" in ((following or {}).get("note") or ""):
            after_lost_answer += 1
            load.examples["duplicate at fal after a lost answer"].append(
                f"{request_id} accepted at {datetime.fromtimestamp(at).time()}: {describe(job)}")
        else:
            unexplained += 1
            load.examples["duplicate at fal outside the documented windows"].append(
                f"{request_id} accepted at {datetime.fromtimestamp(at).time()}: {describe(job)}")

    lost = len(load.acked) - len(jobs)
    stuck = sum(1 for job in jobs.values() if job["status"] not in TERMINAL)
    load.examples["stuck"] += [
        f"{job['id']}: {describe(job)}; at fal: "
        + json.dumps({k: v for k, v in at_fal.get(job.get("fal_request_id"), {}).items() if k != "endpoint"})
        + "".join(f"\n    log: {line.rstrip()[:300]}" for line in log_lines(options.log, job["id"])[-5:])
        for job in jobs.values() if job["status"] not in TERMINAL]
    line = "-" * 64
    print(line)
    print(f"{'cycles':44s}{len(crashes):>8d}  ({sum(c['how'] == 'kill -9' for c in crashes)} kill -9, "
          f"{sum(c['how'] == 'SIGTERM' for c in crashes)} SIGTERM)")
    rows = [("acknowledged submits (202/200)", len(load.acked)), ("jobs found", len(jobs)), ("lost", lost),
            ("completed", statuses["completed"]), ("cancelled", statuses["cancelled"]), ("failed", statuses["failed"])]
    for label, value in rows:
        print(f"{label:44s}{value:>8d}")
    for code, (justified, not_justified) in sorted(failures.items()):
        print(f"{'  failed ' + code:44s}{justified + not_justified:>8d}  (justified by a final injected fault: "
              f"{justified}; by transient faults only: {not_justified})")
    print(f"{'stuck (not terminal after the drain)':44s}{stuck:>8d}  (drained in {drained[0]:.0f} s; "
          f"last depth {drained[1]})")
    for status, count in sorted(statuses.items()):
        if status not in TERMINAL:
            print(f"{'  stuck in ' + status:44s}{count:>8d}")
    with open(options.log, errors="replace") as log:
        rescues = Counter(kind for line in log for kind, marker in RESCUE_LINES.items() if marker in line)
    print(f"{'rescued by the sweep (the gateway log says)':44s}{sum(rescues.values()):>8d}  "
          f"(followed again: {rescues['followed']}; queued again: {rescues['requeued']})")
    print(f"{'idempotency replays (same key again)':44s}{load.replays:>8d}")
    print(f"{'keys that produced a second job':44s}{second_jobs + len(load.replay_conflicts):>8d}")
    print(f"{'submits received by fal (all answers)':44s}{len(fal_log.submits):>8d}")
    print(f"{'requests accepted by fal':44s}{len(accepted):>8d}")
    print(f"{'fal requests no job points at (duplicates)':44s}{duplicates:>8d}  (in a crash window: "
          f"{sum(per_crash.values())}; after a lost answer: {after_lost_answer}; unexplained: {unexplained}; "
          f"submit not found: {unmatched})")
    if load.refused:
        print(f"{'submits refused (4xx)':44s}{sum(load.refused.values()):>8d}  {dict(load.refused)}")
    print(f"{'cancel requests':44s}{sum(load.cancels.values()):>8d}  {dict(load.cancels)}")
    cancelled_ids = {job["id"] for job in jobs.values() if job["status"] == "cancelled"}
    late = load.cancel_accepted - cancelled_ids
    load.examples["cancel accepted, job not cancelled"] += [
        f"{job['id']}: {describe(job)}" for job in jobs.values() if job["id"] in late]
    print(f"{'  accepted (202) but the job ended otherwise':44s}{len(late):>8d}")
    print(f"{'event streams':44s}{load.streams['opened']:>8d}  ({load.streams['ended']} to the terminal event, "
          f"{load.streams['resumed']} resumes, {load.streams['out_of_order']} out of order, "
          f"{load.streams['gave_up']} gave up)")
    mismatched = sum(1 for key, job in jobs.items() if job["id"] in load.stream_final
                     and job["status"] in TERMINAL and load.stream_final[job["id"]] != job["status"])
    print(f"{'  streams whose last status differs':44s}{mismatched:>8d}")
    print(line)
    print("per crash: cycle, signal, moment in the cycle, seconds to exit, seconds down, duplicates at fal")
    for c in crashes:
        print(f"  {c['cycle']:3d}  {c['how']:8s}  {c['at']:5.1f} s  {c['exit']:5.1f} s  {c['down']:5.1f} s  "
              f"{per_crash[c['cycle']]:3d}")
    for kind, examples in load.examples.items():
        if not examples:
            continue
        print(f"{kind}: {len(examples)}, the first {min(3, len(examples))}:")
        for example in examples[:3]:
            print("  " + example)
    failed_checks = {"lost": lost, "stuck": stuck, "failed by transient faults": unjustified,
                     "second jobs for one key": second_jobs + len(load.replay_conflicts)}
    bad = {name: value for name, value in failed_checks.items() if value}
    print("RESULT: " + ("pass" if not bad else "FAIL " + ", ".join(f"{k} {v}" for k, v in bad.items())))
    return 0 if not bad else 1


def main():
    options = parse_arguments()
    rng = random.Random(options.seed)
    gateway, load, fal_log = Gateway(options), Load(options, random.Random(options.seed + 1)), FalLog(options.sim)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        gateway.start()
        threads = [threading.Thread(target=load.run_submitter, daemon=True),
                   threading.Thread(target=load.run_canceller, daemon=True)]
        for thread in threads:
            thread.start()
        crashes = run_cycles(options, gateway, load, fal_log, rng)
        load.stop.set()
        threads[0].join()
        print(f"load stopped; draining (at most {options.drain_seconds:.0f} s)", flush=True)
        drained = drain(options, load, fal_log)
        code = report(options, load, fal_log, crashes, drained)
        load.pool.shutdown(wait=False, cancel_futures=True)
        return code
    finally:
        gateway.close()


if __name__ == "__main__":
    sys.exit(main())
