CREATE TABLE "disaster_roster_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"municipality" text NOT NULL,
	"import_id" text NOT NULL,
	"row" integer NOT NULL,
	"name" text NOT NULL,
	"kana" text NOT NULL,
	"birth_date" text NOT NULL,
	"sex" text NOT NULL,
	"address" text NOT NULL,
	"district" text NOT NULL,
	"phone" text NOT NULL,
	"reason" text NOT NULL,
	"supporters" text NOT NULL,
	"plan" text NOT NULL,
	"resident_id" text,
	"imported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_roster_followups" (
	"id" text PRIMARY KEY NOT NULL,
	"entry_id" text NOT NULL,
	"municipality" text NOT NULL,
	"kind" text NOT NULL,
	"note" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_roster_rounds" (
	"id" text PRIMARY KEY NOT NULL,
	"municipality" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disaster_roster_followups" ADD CONSTRAINT "disaster_roster_followups_entry_id_disaster_roster_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."disaster_roster_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disaster_roster_entries_municipality" ON "disaster_roster_entries" USING btree ("municipality","row");--> statement-breakpoint
CREATE INDEX "disaster_roster_entries_resident" ON "disaster_roster_entries" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "disaster_roster_followups_entry" ON "disaster_roster_followups" USING btree ("entry_id","at");--> statement-breakpoint
CREATE INDEX "disaster_roster_rounds_municipality" ON "disaster_roster_rounds" USING btree ("municipality","started_at");