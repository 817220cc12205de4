CREATE TABLE "users" (
	"username" text PRIMARY KEY NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"unit_code" text,
	"display_name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role" CHECK ("users"."role" in ('admin', 'coordinator', 'contributor', 'unit', 'institute', 'council', 'public')),
	CONSTRAINT "users_unit_code" CHECK ("users"."role" not in ('unit', 'contributor') or "users"."unit_code" is not null)
);
