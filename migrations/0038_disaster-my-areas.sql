CREATE TABLE "disaster_my_areas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"area" jsonb NOT NULL,
	"municipality" text,
	"min_lon" double precision,
	"max_lon" double precision,
	"min_lat" double precision,
	"max_lat" double precision,
	"radius" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_push_links" (
	"subscription_id" bigint PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"linked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disaster_push_links" ADD CONSTRAINT "disaster_push_links_subscription_id_disaster_push_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."disaster_push_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disaster_my_areas_resident" ON "disaster_my_areas" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "disaster_my_areas_municipality" ON "disaster_my_areas" USING btree ("municipality");--> statement-breakpoint
CREATE INDEX "disaster_my_areas_box" ON "disaster_my_areas" USING btree ("min_lon","max_lon","min_lat","max_lat");--> statement-breakpoint
CREATE INDEX "disaster_push_links_resident" ON "disaster_push_links" USING btree ("resident_id");