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
if spans:
    q = lambda p: spans[min(len(spans) - 1, int(p * len(spans)))]
    print(f"per job, submit to completed: p50 {q(0.50)} ms, p90 {q(0.90)} ms, p99 {q(0.99)} ms, max {spans[-1]} ms")
