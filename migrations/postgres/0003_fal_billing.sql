-- What fal reports about each run (issue 16), as migrations/0003_fal_billing.sql on SQLite: the endpoint that
-- served it (`X-Fal-Served-From`), the units it billed (`X-Fal-Billable-Units`) and their price in USD when the
-- catalog knows the unit price. (Version 0002 is unused on both dialects, so versions stay aligned.)
ALTER TABLE jobs ADD COLUMN fal_served_from text;
ALTER TABLE jobs ADD COLUMN fal_billed_units double precision;
ALTER TABLE jobs ADD COLUMN fal_billed_usd double precision;

-- Billed figures beside the estimate, per team, UTC day of submission and model. `billed_estimate_usd` is the
-- estimate of the jobs that have a billed price, so the spend of a day is
-- estimated_cost_usd - billed_estimate_usd + billed_usd: what fal billed where known, the estimate elsewhere.
ALTER TABLE usage_daily ADD COLUMN billed_jobs bigint NOT NULL DEFAULT 0;
ALTER TABLE usage_daily ADD COLUMN billed_units double precision NOT NULL DEFAULT 0;
ALTER TABLE usage_daily ADD COLUMN billed_usd double precision NOT NULL DEFAULT 0;
ALTER TABLE usage_daily ADD COLUMN billed_estimate_usd double precision NOT NULL DEFAULT 0;

CREATE FUNCTION usage_daily_billed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE usage_daily SET
        billed_units = billed_units + coalesce(NEW.fal_billed_units, 0) - coalesce(OLD.fal_billed_units, 0),
        billed_jobs = billed_jobs + (NEW.fal_billed_usd IS NOT NULL)::int - (OLD.fal_billed_usd IS NOT NULL)::int,
        billed_usd = billed_usd + coalesce(NEW.fal_billed_usd, 0) - coalesce(OLD.fal_billed_usd, 0),
        billed_estimate_usd = billed_estimate_usd
            + CASE WHEN NEW.fal_billed_usd IS NOT NULL THEN NEW.estimated_cost_usd ELSE 0 END
            - CASE WHEN OLD.fal_billed_usd IS NOT NULL THEN OLD.estimated_cost_usd ELSE 0 END
    WHERE team = NEW.team AND day = utc_day(NEW.created_at) AND model = NEW.model;
    RETURN NULL;
END;
$$;

CREATE TRIGGER usage_daily_billed AFTER UPDATE OF fal_billed_units, fal_billed_usd ON jobs FOR EACH ROW
    WHEN (OLD.fal_billed_units IS DISTINCT FROM NEW.fal_billed_units
          OR OLD.fal_billed_usd IS DISTINCT FROM NEW.fal_billed_usd)
    EXECUTE FUNCTION usage_daily_billed();
