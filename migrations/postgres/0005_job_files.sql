-- Output files copied from fal into Spool's own storage (issue 12), as migrations/0005_job_files.sql on SQLite.
-- `state` is `pending` while the copy runs (the job keeps its running status with its result saved, and a
-- restart resumes the copy), `stored`, `failed` (`reason` says why) or `expired` (deleted by the retention sweeper).
CREATE TABLE job_files (
    job_id        text NOT NULL,
    name          text NOT NULL,              -- unique within the job: /v1/jobs/{id}/files/{name}
    team          text NOT NULL,
    result_path   text NOT NULL,              -- JSON pointer of the file object in the job's result
    source_url    text NOT NULL,              -- fal's URL
    content_type  text NOT NULL,
    declared_size bigint,                     -- file_size as fal announced it
    state         text NOT NULL CHECK (state IN ('pending', 'stored', 'failed', 'expired')),
    size          bigint,                     -- bytes stored
    sha256        text,                       -- lower-case hex of the stored bytes
    storage_key   text,
    reason        text,
    created_at    bigint NOT NULL,
    stored_at     bigint,
    expires_at    bigint,                     -- when the retention sweeper deletes it; NULL keeps it
    PRIMARY KEY (job_id, name)
);

CREATE INDEX job_files_pending ON job_files(job_id) WHERE state = 'pending';
CREATE INDEX job_files_expiry ON job_files(expires_at) WHERE state = 'stored' AND expires_at IS NOT NULL;
CREATE INDEX job_files_team_stored ON job_files(team) WHERE state = 'stored';

-- Secrets every replica shares, generated once by whichever process needs one first (the signed-link key).
CREATE TABLE shared_secrets (
    name       text PRIMARY KEY,
    secret     text NOT NULL,
    created_at bigint NOT NULL
);
