ALTER TABLE "disaster_checkins" ADD COLUMN "age_0_14" integer;--> statement-breakpoint
ALTER TABLE "disaster_checkins" ADD COLUMN "age_15_64" integer;--> statement-breakpoint
ALTER TABLE "disaster_checkins" ADD COLUMN "age_65_74" integer;--> statement-breakpoint
ALTER TABLE "disaster_checkins" ADD COLUMN "age_75_plus" integer;--> statement-breakpoint
ALTER TABLE "disaster_checkins" ADD COLUMN "age_unknown" integer;--> statement-breakpoint
ALTER TABLE "disaster_checkins" ADD COLUMN "home_municipality" text;