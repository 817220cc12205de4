CREATE TABLE "campaign_chains" (
	"campaign_id" text PRIMARY KEY NOT NULL,
	"genesis_hash" text NOT NULL,
	"head_seq" integer NOT NULL,
	"head_hash" text NOT NULL,
	"published_seq" integer,
	"published_digest" text,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "campaign_events" ADD COLUMN "effects" jsonb;--> statement-breakpoint
ALTER TABLE "campaign_events" ADD COLUMN "chain_seq" integer;--> statement-breakpoint
ALTER TABLE "campaign_events" ADD COLUMN "chain_hash" text;--> statement-breakpoint
ALTER TABLE "campaign_chains" ADD CONSTRAINT "campaign_chains_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_events_chain" ON "campaign_events" USING btree ("campaign_id","chain_seq");