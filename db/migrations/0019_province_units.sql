CREATE TABLE "province_units" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"group_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "unit_groups" (
	"code" text PRIMARY KEY NOT NULL,
	"name_vi" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "province_units" ADD CONSTRAINT "province_units_group_code_unit_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."unit_groups"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "province_units_group" ON "province_units" USING btree ("group_code","code");