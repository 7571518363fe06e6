CREATE TABLE "disaster_cards" (
	"resident_id" text PRIMARY KEY NOT NULL,
	"card_id" text NOT NULL,
	"short_code" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disaster_cards_card_id_unique" UNIQUE("card_id"),
	CONSTRAINT "disaster_cards_short_code_unique" UNIQUE("short_code")
);
--> statement-breakpoint
CREATE TABLE "disaster_checkins" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"shelter_id" text NOT NULL,
	"municipality" text NOT NULL,
	"resident_id" text,
	"method" text NOT NULL,
	"name_sealed" text,
	"people" integer NOT NULL,
	"needs_care" boolean,
	"checked_in_at" timestamp with time zone NOT NULL,
	"checked_in_by" text NOT NULL,
	"checked_out_at" timestamp with time zone,
	"checked_out_by" text,
	CONSTRAINT "disaster_checkins_client_id_unique" UNIQUE("client_id")
);
--> statement-breakpoint
CREATE INDEX "disaster_checkins_shelter_open" ON "disaster_checkins" USING btree ("shelter_id","checked_out_at");--> statement-breakpoint
CREATE UNIQUE INDEX "disaster_checkins_resident_open" ON "disaster_checkins" USING btree ("resident_id") WHERE "disaster_checkins"."checked_out_at" is null and "disaster_checkins"."resident_id" is not null;