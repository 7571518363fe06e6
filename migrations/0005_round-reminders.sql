CREATE TABLE "round_reminders" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"account_id" text NOT NULL,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_reminders_once" UNIQUE("round_id","account_id","kind"),
	CONSTRAINT "round_reminders_kind" CHECK ("round_reminders"."kind" in ('due_soon', 'overdue'))
);
--> statement-breakpoint
ALTER TABLE "round_reminders" ADD CONSTRAINT "round_reminders_round_id_reporting_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."reporting_rounds"("id") ON DELETE cascade ON UPDATE no action;