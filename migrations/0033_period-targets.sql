CREATE TABLE "indicator_period_targets" (
	"id" serial PRIMARY KEY NOT NULL,
	"indicator_id" integer NOT NULL,
	"period_label" text NOT NULL,
	"period_end" date NOT NULL,
	"target" numeric,
	"note" text,
	"provenance" text NOT NULL,
	CONSTRAINT "indicator_period_targets_period" UNIQUE("indicator_id","period_label"),
	CONSTRAINT "indicator_period_targets_target" CHECK ("indicator_period_targets"."target" is null or "indicator_period_targets"."target" >= 0)
);
--> statement-breakpoint
ALTER TABLE "indicator_period_targets" ADD CONSTRAINT "indicator_period_targets_indicator_id_indicators_node_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("node_id") ON DELETE cascade ON UPDATE no action;