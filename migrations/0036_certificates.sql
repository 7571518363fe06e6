CREATE TABLE "disaster_certificate_verifications" (
	"code" text PRIMARY KEY NOT NULL,
	"municipality" text NOT NULL,
	"grade" text NOT NULL,
	"damage_type" text NOT NULL,
	"damaged_on" date NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"municipality" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"description" text NOT NULL,
	"damage_type" text NOT NULL,
	"damaged_on" date NOT NULL,
	"report_ids" jsonb NOT NULL,
	"status" text NOT NULL,
	"survey_on" date,
	"grade" text,
	"code" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"issued_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "disaster_certificates_resident" ON "disaster_certificates" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "disaster_certificates_municipality_status" ON "disaster_certificates" USING btree ("municipality","status");