"""Fills a migrated Spool database with N finished jobs (plus a few waiting) for the queue-view benchmark,
through the same triggers that keep the counters."""
import random
import sqlite3
import sys
import time

db = sqlite3.connect(sys.argv[1])
count = int(sys.argv[2])
now = int(time.time() * 1000)
teams = ["marketing", "research", "product", "ads"]
statuses = ["completed"] * 90 + ["failed"] * 7 + ["cancelled"] * 3
db.execute("PRAGMA synchronous = OFF")
batch = []
for n in range(count):
    status = random.choice(statuses) if n < count - 200 else random.choice(["queued", "in_queue", "in_progress"])
    created = now - (count - n) * 50
    done = created + 60_000 if status in ("completed", "failed", "cancelled") else None
    batch.append((f"job_SEED{n:022d}", random.choice(teams), "kling-video-o3-pro-reference-to-video",
                  "fal-ai/kling-video/o3/pro/reference-to-video", status, "{}", 0, 1, "tok", 1.12,
                  created, created, done, created))
    if len(batch) == 20_000:
        db.executemany("""INSERT INTO jobs (id, team, model, fal_endpoint, status, input, priority, attempts,
            fal_webhook_token, estimated_cost_usd, created_at, updated_at, completed_at, run_after)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", batch)
        db.commit()
        batch = []
if batch:
    db.executemany("""INSERT INTO jobs (id, team, model, fal_endpoint, status, input, priority, attempts,
        fal_webhook_token, estimated_cost_usd, created_at, updated_at, completed_at, run_after)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", batch)
    db.commit()
print(f"seeded {count} jobs")
