CREATE TABLE "disaster_safety_codes" (
	"hash" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"resident_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_safety_imports" (
	"id" text PRIMARY KEY NOT NULL,
	"municipality" text NOT NULL,
	"person_record_id" text NOT NULL,
	"full_name" text NOT NULL,
	"status" text,
	"pfif_status" text,
	"note_record_id" text,
	"place" text,
	"note" text,
	"source_date" timestamp with time zone NOT NULL,
	"note_date" timestamp with time zone,
	"imported_by" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disaster_safety_imports_record" UNIQUE("municipality","person_record_id")
);
--> statement-breakpoint
CREATE TABLE "disaster_safety_links" (
	"a" text NOT NULL,
	"b" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disaster_safety_links_a_b_pk" PRIMARY KEY("a","b")
);
--> statement-breakpoint
CREATE TABLE "disaster_safety_statuses" (
	"resident_id" text PRIMARY KEY NOT NULL,
	"record_id" text NOT NULL,
	"display_name" text,
	"status" text,
	"place" text,
	"note" text,
	"source" text,
	"municipality" text,
	"marked_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disaster_safety_statuses_record_id_unique" UNIQUE("record_id")
);
--> statement-breakpoint
CREATE INDEX "disaster_safety_codes_resident" ON "disaster_safety_codes" USING btree ("resident_id","kind");--> statement-breakpoint
CREATE INDEX "disaster_safety_links_b" ON "disaster_safety_links" USING btree ("b");