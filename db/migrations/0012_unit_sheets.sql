CREATE TABLE "unit_sheets" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"sheet" json NOT NULL,
	"assessed" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "unit_sheets_campaign_id_unit_code_pk" PRIMARY KEY("campaign_id","unit_code")
);
--> statement-breakpoint
ALTER TABLE "unit_sheets" ADD CONSTRAINT "unit_sheets_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;