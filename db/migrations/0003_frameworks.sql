CREATE TABLE "frameworks" (
	"code" text NOT NULL,
	"version" integer NOT NULL,
	"title_vi" text NOT NULL,
	"document" jsonb NOT NULL,
	"checksum" text NOT NULL,
	"imported_by" text NOT NULL,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "frameworks_code_version_pk" PRIMARY KEY("code","version")
);
