CREATE TABLE "disaster_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"client_id" text NOT NULL,
	"municipality" text NOT NULL,
	"lon" double precision,
	"lat" double precision,
	"location_source" text NOT NULL,
	"category" text NOT NULL,
	"note" text NOT NULL,
	"taken_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"image" "bytea" NOT NULL,
	"image_hash" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	CONSTRAINT "disaster_reports_client" UNIQUE("resident_id","client_id")
);
--> statement-breakpoint
CREATE INDEX "disaster_reports_municipality_status" ON "disaster_reports" USING btree ("municipality","status","created_at");