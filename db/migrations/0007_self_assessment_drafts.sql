CREATE TABLE "self_assessment_drafts" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"draft" jsonb NOT NULL,
	"saved_by" text NOT NULL,
	"saved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "self_assessment_drafts_campaign_id_unit_code_pk" PRIMARY KEY("campaign_id","unit_code")
);
