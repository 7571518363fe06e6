CREATE TABLE "organisation_units" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"parent_id" text,
	"position" integer NOT NULL,
	"provenance" text NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "organisation_units_kind" CHECK ("organisation_units"."kind" in ('department', 'section', 'municipality')),
	CONSTRAINT "organisation_units_parent" CHECK (("organisation_units"."kind" = 'section') = ("organisation_units"."parent_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "organisation_units" ADD CONSTRAINT "organisation_units_parent_id_organisation_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organisation_units"("id") ON DELETE no action ON UPDATE no action;