CREATE TABLE "parked_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"workflow_id" text NOT NULL,
	"seq" integer NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text,
	"action" text NOT NULL,
	"change" json NOT NULL,
	"error_code" text,
	"error_message" text NOT NULL,
	"parked_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"last_tried_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" text
);
--> statement-breakpoint
ALTER TABLE "campaign_events" ADD COLUMN "writes" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "parked_changes_idempotency_key" ON "parked_changes" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "parked_changes_open" ON "parked_changes" USING btree ("parked_at") WHERE "parked_changes"."resolved_at" is null;