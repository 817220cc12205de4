CREATE TABLE "survey_answers" (
	"import_id" text NOT NULL,
	"respondent_id" text NOT NULL,
	"respondent_group" text NOT NULL,
	"unit_code" text NOT NULL,
	"question_code" text NOT NULL,
	"option_code" text NOT NULL,
	"weight_hundredths" smallint,
	"row_number" integer NOT NULL,
	CONSTRAINT "survey_answers_import_id_respondent_id_unit_code_question_code_pk" PRIMARY KEY("import_id","respondent_id","unit_code","question_code"),
	CONSTRAINT "survey_answers_weight" CHECK ("survey_answers"."weight_hundredths" is null or "survey_answers"."weight_hundredths" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "survey_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"campaign_id" text NOT NULL,
	"checksum" text NOT NULL,
	"format" text NOT NULL,
	"layout" text NOT NULL,
	"file_rows" integer NOT NULL,
	"answers" integer NOT NULL,
	"valid_answers" integer NOT NULL,
	"respondents" integer NOT NULL,
	"units" integer NOT NULL,
	"imported_by" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"replaced_at" timestamp with time zone,
	CONSTRAINT "survey_imports_format" CHECK ("survey_imports"."format" in ('csv', 'xlsx')),
	CONSTRAINT "survey_imports_layout" CHECK ("survey_imports"."layout" in ('long', 'wide'))
);
--> statement-breakpoint
ALTER TABLE "survey_answers" ADD CONSTRAINT "survey_answers_import_id_survey_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."survey_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_imports" ADD CONSTRAINT "survey_imports_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "survey_imports_current" ON "survey_imports" USING btree ("campaign_id") WHERE "survey_imports"."replaced_at" is null;--> statement-breakpoint
CREATE INDEX "survey_imports_campaign" ON "survey_imports" USING btree ("campaign_id","imported_at");