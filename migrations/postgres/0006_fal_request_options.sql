-- What a client of the fal surface asked of fal through fal's request headers (X-Fal-No-Retry, X-Fal-Store-IO,
-- X-Fal-Object-Lifecycle-Preference, X-Fal-Runner-Hint) and whether the endpoint is a pass-through outside the
-- catalog: compact JSON, NULL when nothing was asked (every job from /v1/jobs).
ALTER TABLE jobs ADD COLUMN fal_options text;
