ALTER TABLE "results" ALTER COLUMN "sheet" SET DATA TYPE json USING "sheet"::json;
