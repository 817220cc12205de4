CREATE TABLE "email_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"dispatch_key" text NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"stage" text NOT NULL,
	"recipient_email" text NOT NULL,
	"recipient_name" text NOT NULL,
	"recipient_role" text NOT NULL,
	"subject" text NOT NULL,
	"text" text NOT NULL,
	"html" text NOT NULL,
	"message_id" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"smtp_response" text,
	"meta" jsonb,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" bigint
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"dispatch_key" text NOT NULL,
	"recipient" text NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"stage" text NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"link" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"read_by" text
);
--> statement-breakpoint
CREATE TABLE "reminder_dispatches" (
	"key" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"stage" text NOT NULL,
	"kind" text NOT NULL,
	"offset" text NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminder_policies" (
	"campaign_id" text PRIMARY KEY NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_contacts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_code" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "email_deliveries_idempotency_key" ON "email_deliveries" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "email_deliveries_campaign" ON "email_deliveries" USING btree ("campaign_id","unit_code");--> statement-breakpoint
CREATE INDEX "email_deliveries_dispatch" ON "email_deliveries" USING btree ("dispatch_key");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_idempotency_key" ON "notifications" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "notifications_recipient" ON "notifications" USING btree ("recipient","created_at");--> statement-breakpoint
CREATE INDEX "reminder_dispatches_unit" ON "reminder_dispatches" USING btree ("campaign_id","unit_code");--> statement-breakpoint
CREATE UNIQUE INDEX "unit_contacts_unit_email" ON "unit_contacts" USING btree ("unit_code","email");--> statement-breakpoint
CREATE INDEX "unit_contacts_role" ON "unit_contacts" USING btree ("role","unit_code");