"""Reads a Spool database after a drain and prints what the gateway added to each job: the time from
submission to completion, minus the time the emulator held the job (here the emulator answers at once,
so all of it is Spool's: dispatch, submit, callback or poll, result fetch, commits)."""
import sqlite3
import statistics
import sys

db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT created_at, completed_at FROM jobs WHERE status = 'completed'").fetchall()
spans = sorted((done - created) for created, done in rows)
first = db.execute("SELECT min(created_at), max(completed_at) FROM jobs").fetchone()
print(f"jobs completed: {len(spans)} of {db.execute('SELECT count(*) FROM jobs').fetchone()[0]}")
print(f"drain: {(first[1] - first[0]) / 1000:.2f} s from first submit to last completion")
def report(label, values):
    values = sorted(values)
    if not values:
        return
    q = lambda p: values[min(len(values) - 1, int(p * len(values)))]
    print(f"{label}: p50 {q(0.50)} ms, p90 {q(0.90)} ms, p99 {q(0.99)} ms, max {values[-1]} ms")


report("per job, submit to completed (includes waiting behind the other jobs)", spans)
# From the claim (submitting) to completed: submit to fal, its callback, the result fetch and every commit on
# the way. The emulator itself holds a job for 0 s, so this is Spool's own time per job under this load.
service = db.execute("""SELECT j.completed_at - e.at FROM jobs j JOIN job_events e ON e.job_id = j.id
    WHERE j.status = 'completed' AND e.status = 'submitting'""").fetchall()
report("per job, claimed to completed (Spool's own work)", [row[0] for row in service])

deliveries = db.execute("""SELECT d.updated_at - j.completed_at, d.updated_at FROM webhook_deliveries d
    JOIN jobs j ON j.id = d.job_id WHERE d.state = 'delivered'""").fetchall()
if deliveries:
    report("webhook delivered after the job ended", [row[0] for row in deliveries])
    first_end = db.execute("SELECT min(completed_at) FROM jobs").fetchone()[0]
    span = (max(row[1] for row in deliveries) - first_end) / 1000
    print(f"webhooks delivered: {len(deliveries)}, {len(deliveries) / span:.0f}/s from the first job's end to the last delivery")
