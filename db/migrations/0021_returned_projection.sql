CREATE TABLE "projection_intents" (
	"workflow_id" text NOT NULL,
	"update_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "projection_intents_workflow_id_update_id_pk" PRIMARY KEY("workflow_id","update_id")
);
--> statement-breakpoint
ALTER TABLE "campaign_units" ADD COLUMN "state_seq" integer;--> statement-breakpoint
CREATE INDEX "projection_intents_created" ON "projection_intents" USING btree ("created_at");