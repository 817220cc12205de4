-- The progress table's page (units by Vietnamese name, then code) read in index
-- order instead of sorting every unit of the campaign on each request: at 5,000
-- units the ICU sort took 10 ms of an 11 ms query (issue 8, P4). Only a server
-- built with ICU has the collation; PGlite (npm start) has none and sorts in
-- JavaScript (db/repositories/progress.ts), so there is nothing to index there.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu') THEN
    CREATE INDEX IF NOT EXISTS "campaign_units_vi_order" ON "campaign_units" ("campaign_id", "name_vi" COLLATE "vi-x-icu", "unit_code" COLLATE "C");
  END IF;
END $$;
