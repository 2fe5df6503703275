-- Output files copied from fal into Spool's own storage (issue 12). One row per file object found in a job's
-- result. `state` is `pending` while the copy runs (the job then keeps its running status with its result saved,
-- and a restart resumes the copy), `stored` once the bytes are under `storage_key`, `failed` when copying gave up
-- (`reason` says why; the job completes with fal's URL), `expired` once the retention sweeper deleted it.
CREATE TABLE job_files (
    job_id        TEXT NOT NULL,
    name          TEXT NOT NULL,              -- unique within the job: /v1/jobs/{id}/files/{name}
    team          TEXT NOT NULL,
    result_path   TEXT NOT NULL,              -- JSON pointer of the file object in the job's result
    source_url    TEXT NOT NULL,              -- fal's URL
    content_type  TEXT NOT NULL,
    declared_size INTEGER,                    -- file_size as fal announced it
    state         TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'failed', 'expired')),
    size          INTEGER,                    -- bytes stored
    sha256        TEXT,                       -- lower-case hex of the stored bytes
    storage_key   TEXT,
    reason        TEXT,
    created_at    INTEGER NOT NULL,
    stored_at     INTEGER,
    expires_at    INTEGER,                    -- when the retention sweeper deletes it; NULL keeps it
    PRIMARY KEY (job_id, name)
);

CREATE INDEX job_files_pending ON job_files(job_id) WHERE state = 'pending';
CREATE INDEX job_files_expiry ON job_files(expires_at) WHERE state = 'stored' AND expires_at IS NOT NULL;
CREATE INDEX job_files_team_stored ON job_files(team) WHERE state = 'stored';

-- Secrets every replica shares, generated once by whichever process needs one first (the signed-link key).
CREATE TABLE shared_secrets (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
