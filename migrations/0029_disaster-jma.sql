CREATE TABLE "disaster_jma_alerts" (
	"topic" text PRIMARY KEY NOT NULL,
	"alert_id" text NOT NULL,
	"code" text NOT NULL,
	"active" boolean NOT NULL,
	"report_key" text NOT NULL,
	"report_time" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_jma_feeds" (
	"url" text PRIMARY KEY NOT NULL,
	"etag" text,
	"last_modified" text,
	"checked_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_jma_reports" (
	"report_key" text PRIMARY KEY NOT NULL,
	"entry_id" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "disaster_jma_reports_entry_id_unique" UNIQUE("entry_id")
);
