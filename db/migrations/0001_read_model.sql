CREATE TABLE "explanation_requests" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"id" text NOT NULL,
	"subcriterion_code" text NOT NULL,
	"area_code" text NOT NULL,
	"question" text NOT NULL,
	"requested_by" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"answer_note" text,
	"answer_evidence" jsonb,
	"answered_at" timestamp with time zone,
	CONSTRAINT "explanation_requests_campaign_id_unit_code_id_pk" PRIMARY KEY("campaign_id","unit_code","id")
);
--> statement-breakpoint
CREATE TABLE "guidance_contributions" (
	"campaign_id" text NOT NULL,
	"contributor" text NOT NULL,
	"areas" jsonb NOT NULL,
	"document" jsonb NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"submitted_by" text NOT NULL,
	CONSTRAINT "guidance_contributions_campaign_id_contributor_pk" PRIMARY KEY("campaign_id","contributor")
);
--> statement-breakpoint
CREATE TABLE "results" (
	"campaign_id" text NOT NULL,
	"pass" integer NOT NULL,
	"unit_code" text NOT NULL,
	"group_code" text NOT NULL,
	"assessed_centi" integer NOT NULL,
	"survey_centi" integer,
	"bonus_centi" integer NOT NULL,
	"penalty_centi" integer NOT NULL,
	"total_centi" integer NOT NULL,
	"index_centi" integer NOT NULL,
	"rank" integer NOT NULL,
	"classification" text,
	"flags" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"explanation" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	CONSTRAINT "results_campaign_id_pass_unit_code_pk" PRIMARY KEY("campaign_id","pass","unit_code")
);
--> statement-breakpoint
CREATE TABLE "score_entries" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"subcriterion_code" text NOT NULL,
	"score_column" text NOT NULL,
	"input" jsonb NOT NULL,
	"points_centi" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone NOT NULL,
	CONSTRAINT "score_entries_campaign_id_unit_code_subcriterion_code_score_column_pk" PRIMARY KEY("campaign_id","unit_code","subcriterion_code","score_column"),
	CONSTRAINT "score_entries_column" CHECK ("score_entries"."score_column" in ('self', 'round1', 'round2'))
);
--> statement-breakpoint
CREATE TABLE "survey_points" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"points_centi" integer NOT NULL,
	CONSTRAINT "survey_points_campaign_id_unit_code_pk" PRIMARY KEY("campaign_id","unit_code")
);
--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "stage" text DEFAULT 'self_assessment' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "flags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "self_assessment_due" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "explanations_due" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "last_activity_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "timeline" jsonb;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "survey_status" text DEFAULT 'awaiting_plan' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "published_decision_number" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "published_decision_date" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "explanation_requests" ADD CONSTRAINT "explanation_requests_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "guidance_contributions" ADD CONSTRAINT "guidance_contributions_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_entries" ADD CONSTRAINT "score_entries_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_points" ADD CONSTRAINT "survey_points_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "results_rank" ON "results" USING btree ("campaign_id","pass","group_code","rank");--> statement-breakpoint
CREATE INDEX "campaign_units_stage_status" ON "campaign_units" USING btree ("campaign_id","stage","status");--> statement-breakpoint
CREATE INDEX "campaign_units_group" ON "campaign_units" USING btree ("campaign_id","group_code");--> statement-breakpoint
-- Hand-written backfill for campaigns recorded before this migration: the
-- deadlines in force are the definition's; a date-only deadline ends at
-- 23:59:59 Vietnam time (UTC+07:00, domain/deadlines.ts).
UPDATE "campaigns" SET "timeline" = "definition"->'timeline' WHERE "timeline" IS NULL;--> statement-breakpoint
UPDATE "campaign_units" AS u SET
	"self_assessment_due" = CASE WHEN t.sa ~ '^\d{4}-\d{2}-\d{2}$' THEN ((t.sa::date + time '23:59:59') - interval '7 hours') AT TIME ZONE 'UTC' ELSE t.sa::timestamptz END,
	"explanations_due" = CASE WHEN t.ex ~ '^\d{4}-\d{2}-\d{2}$' THEN ((t.ex::date + time '23:59:59') - interval '7 hours') AT TIME ZONE 'UTC' ELSE t.ex::timestamptz END
FROM (
	SELECT "id", "definition"->'timeline'->>'self_assessment_due' AS sa, "definition"->'timeline'->>'explanations_due' AS ex FROM "campaigns"
) AS t
WHERE t."id" = u."campaign_id" AND u."self_assessment_due" IS NULL AND t.sa IS NOT NULL AND t.ex IS NOT NULL;
