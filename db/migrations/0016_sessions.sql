CREATE TABLE "revoked_tokens" (
	"jti" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_cutoffs" (
	"username" text PRIMARY KEY NOT NULL,
	"not_before" timestamp with time zone NOT NULL
);
