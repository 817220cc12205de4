CREATE TABLE "survey_group_tallies" (
	"import_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"respondent_group" text NOT NULL,
	"valid_answers" integer NOT NULL,
	"respondents" integer NOT NULL,
	CONSTRAINT "survey_group_tallies_import_id_unit_code_respondent_group_pk" PRIMARY KEY("import_id","unit_code","respondent_group")
);
--> statement-breakpoint
CREATE TABLE "survey_question_tallies" (
	"import_id" text NOT NULL,
	"unit_code" text NOT NULL,
	"question_code" text NOT NULL,
	"answers" integer NOT NULL,
	"valid_count" integer NOT NULL,
	"sum_weight_hundredths" integer NOT NULL,
	CONSTRAINT "survey_question_tallies_import_id_unit_code_question_code_pk" PRIMARY KEY("import_id","unit_code","question_code")
);
--> statement-breakpoint
ALTER TABLE "survey_group_tallies" ADD CONSTRAINT "survey_group_tallies_import_id_survey_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."survey_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_question_tallies" ADD CONSTRAINT "survey_question_tallies_import_id_survey_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."survey_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Imports stored before the tallies: tally the answers they still hold (a replaced import holds none).
INSERT INTO "survey_question_tallies" ("import_id", "unit_code", "question_code", "answers", "valid_count", "sum_weight_hundredths")
SELECT "import_id", "unit_code", "question_code", count(*), count("weight_hundredths"), coalesce(sum("weight_hundredths"), 0)
FROM "survey_answers" GROUP BY "import_id", "unit_code", "question_code";--> statement-breakpoint
INSERT INTO "survey_group_tallies" ("import_id", "unit_code", "respondent_group", "valid_answers", "respondents")
SELECT "import_id", "unit_code", "respondent_group", sum("valid"), count(*)
FROM (
	SELECT "import_id", "unit_code", "respondent_group", "respondent_id", count("weight_hundredths") AS "valid"
	FROM "survey_answers" GROUP BY "import_id", "unit_code", "respondent_group", "respondent_id"
) AS "per_respondent"
GROUP BY "import_id", "unit_code", "respondent_group";
