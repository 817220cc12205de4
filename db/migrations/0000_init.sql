CREATE TABLE "campaign_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"occurred_at" timestamp with time zone NOT NULL,
	"idempotency_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_units" (
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"name_vi" text NOT NULL,
	"group_code" text NOT NULL,
	CONSTRAINT "campaign_units_campaign_id_unit_code_pk" PRIMARY KEY("campaign_id","unit_code")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"year" integer NOT NULL,
	"name_vi" text NOT NULL,
	"stage" text NOT NULL,
	"status" text NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_events" ADD CONSTRAINT "campaign_events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_units" ADD CONSTRAINT "campaign_units_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_events_idempotency_key" ON "campaign_events" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "campaign_events_campaign" ON "campaign_events" USING btree ("campaign_id","occurred_at");