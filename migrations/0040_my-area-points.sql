ALTER TABLE "disaster_my_areas" ALTER COLUMN "area" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "disaster_my_areas" ADD COLUMN "point_id" text;--> statement-breakpoint
ALTER TABLE "disaster_my_areas" ADD COLUMN "point" text;--> statement-breakpoint
ALTER TABLE "disaster_my_areas" ADD CONSTRAINT "disaster_my_areas_point_id_unique" UNIQUE("point_id");