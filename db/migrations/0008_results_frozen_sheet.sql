ALTER TABLE "results" ALTER COLUMN "explanation" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "results" ADD COLUMN "sheet" jsonb;--> statement-breakpoint
ALTER TABLE "results" ADD CONSTRAINT "results_explained" CHECK ("results"."sheet" is not null or "results"."explanation" is not null);