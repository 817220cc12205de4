CREATE TABLE "evidence_files" (
	"id" uuid PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evidence_files_unit" ON "evidence_files" USING btree ("campaign_id","unit_code","uploaded_at");--> statement-breakpoint
CREATE INDEX "evidence_files_sha256" ON "evidence_files" USING btree ("sha256");