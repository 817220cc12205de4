CREATE TABLE "organisation_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"code" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"kind" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind" CHECK ("organisations"."kind" in ('department', 'survey_institute', 'appraisal_council', 'home_affairs', 'other'))
);
--> statement-breakpoint
ALTER TABLE "users" DROP CONSTRAINT "users_unit_code";--> statement-breakpoint
ALTER TABLE "campaign_events" ADD COLUMN "actor_name" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "organisation_code" text;--> statement-breakpoint
CREATE INDEX "organisation_audit_code" ON "organisation_audit" USING btree ("code","at");--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_organisation_code_organisations_code_fk" FOREIGN KEY ("organisation_code") REFERENCES "public"."organisations"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_contributor_for" CHECK ("users"."role" <> 'contributor' or "users"."unit_code" is not null or "users"."organisation_code" is not null);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_unit_or_organisation" CHECK ("users"."unit_code" is null or "users"."organisation_code" is null);--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_unit_code" CHECK ("users"."role" <> 'unit' or "users"."unit_code" is not null);