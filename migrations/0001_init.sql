-- Spool's schema. Times are whole milliseconds since the Unix epoch (UTC); JSON columns hold compact JSON text.

-- API keys: only a SHA-256 of the secret is kept. A key reads `spool_<key id without its prefix>_<secret>`,
-- so the row is found by id and the hash compared in constant time.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,              -- key_…
    team          TEXT NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0,
    secret_sha256 TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER
) WITHOUT ROWID;

CREATE TABLE jobs (
    seq                 INTEGER PRIMARY KEY,     -- insertion order; cursors page on it
    id                  TEXT NOT NULL UNIQUE,    -- job_…
    team                TEXT NOT NULL,
    model               TEXT NOT NULL,
    fal_endpoint        TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN
                          ('queued','submitting','in_queue','in_progress','completed','failed','cancelled')),
    input               TEXT NOT NULL,
    metadata            TEXT,
    priority            INTEGER NOT NULL DEFAULT 0,
    attempts            INTEGER NOT NULL DEFAULT 0,
    queue_position      INTEGER,
    fal_request_id      TEXT,
    fal_status_url      TEXT,
    fal_response_url    TEXT,
    fal_cancel_url      TEXT,
    result              TEXT,
    error               TEXT,
    webhook_url         TEXT,
    webhook_events      TEXT,
    fal_webhook_token   TEXT NOT NULL,           -- per-job secret in the fal callback URL
    estimated_cost_usd  REAL NOT NULL DEFAULT 0,
    deadline_at         INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    started_at          INTEGER,
    completed_at        INTEGER,
    run_after           INTEGER NOT NULL,        -- not dispatched before this (retry backoff)
    lease_owner         TEXT,                    -- the process that is submitting it
    lease_expires_at    INTEGER,
    next_poll_at        INTEGER,
    cancel_requested    INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX jobs_dispatch ON jobs(team, priority DESC, seq) WHERE status = 'queued';
CREATE INDEX jobs_queued_age ON jobs(created_at) WHERE status = 'queued';
CREATE INDEX jobs_ready_time ON jobs(run_after) WHERE status = 'queued';
CREATE INDEX jobs_active ON jobs(status, next_poll_at) WHERE status IN ('submitting','in_queue','in_progress');
CREATE INDEX jobs_deadline ON jobs(deadline_at)
    WHERE deadline_at IS NOT NULL AND status NOT IN ('completed','failed','cancelled');
CREATE INDEX jobs_team_list ON jobs(team, seq DESC);
CREATE INDEX jobs_status_list ON jobs(status, seq DESC);
CREATE INDEX jobs_finished ON jobs(completed_at) WHERE completed_at IS NOT NULL;
CREATE INDEX jobs_fal_request ON jobs(fal_request_id) WHERE fal_request_id IS NOT NULL;

-- Every transition of every job, in order; `seq` numbers a job's events from 1 (the SSE event id).
CREATE TABLE job_events (
    job_id     TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    status     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    attempt    INTEGER NOT NULL,
    note       TEXT,
    PRIMARY KEY (job_id, seq)
) WITHOUT ROWID;

-- Idempotency-Key records: the same key from the same team within 24 h returns the same job.
CREATE TABLE idempotency_keys (
    team          TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    job_id        TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (team, key)
) WITHOUT ROWID;

-- Jobs per team and status, kept by triggers in the same transaction as every change, so that queue depth
-- and quotas are read without scanning jobs.
CREATE TABLE job_counts (
    team   TEXT NOT NULL,
    status TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (team, status)
) WITHOUT ROWID;

CREATE TRIGGER job_counts_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO job_counts(team, status, count) VALUES (NEW.team, NEW.status, 1)
        ON CONFLICT(team, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER job_counts_update AFTER UPDATE OF status ON jobs WHEN OLD.status <> NEW.status BEGIN
    UPDATE job_counts SET count = count - 1 WHERE team = OLD.team AND status = OLD.status;
    INSERT INTO job_counts(team, status, count) VALUES (NEW.team, NEW.status, 1)
        ON CONFLICT(team, status) DO UPDATE SET count = count + 1;
END;

CREATE TRIGGER job_counts_delete AFTER DELETE ON jobs BEGIN
    UPDATE job_counts SET count = count - 1 WHERE team = OLD.team AND status = OLD.status;
END;

-- Estimated spend per team, UTC day and model, kept by a trigger on insert (budgets and /v1/usage).
CREATE TABLE usage_daily (
    team               TEXT NOT NULL,
    day                TEXT NOT NULL,            -- YYYY-MM-DD, UTC
    model              TEXT NOT NULL,
    jobs               INTEGER NOT NULL,
    estimated_cost_usd REAL NOT NULL,
    PRIMARY KEY (team, day, model)
) WITHOUT ROWID;

CREATE TRIGGER usage_daily_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO usage_daily(team, day, model, jobs, estimated_cost_usd)
        VALUES (NEW.team, strftime('%Y-%m-%d', NEW.created_at / 1000, 'unixepoch'), NEW.model, 1, NEW.estimated_cost_usd)
        ON CONFLICT(team, day, model) DO UPDATE SET jobs = jobs + 1,
            estimated_cost_usd = estimated_cost_usd + excluded.estimated_cost_usd;
END;

-- Downstream webhook deliveries: the outbox. A row is written in the same transaction as the transition
-- that causes it; `webhook_id` stays the same on every retry.
CREATE TABLE webhook_deliveries (
    id                TEXT PRIMARY KEY,          -- dlv_…
    job_id            TEXT NOT NULL,
    team              TEXT NOT NULL,
    event_type        TEXT NOT NULL,
    webhook_id        TEXT NOT NULL,             -- msg_…
    url               TEXT NOT NULL,
    payload           TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('pending','delivered','failed')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_status_code  INTEGER,
    last_error        TEXT,
    next_attempt_at   INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_job ON webhook_deliveries(job_id, created_at);

-- Webhook signing secrets per team. During a rotation the old secret keeps an expiry and signs beside the new.
CREATE TABLE webhook_secrets (
    team       TEXT NOT NULL,
    secret     TEXT NOT NULL,                    -- whsec_<base64>
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (team, secret)
) WITHOUT ROWID;
