CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"node_id" integer NOT NULL,
	"title" text NOT NULL,
	"period_label" text,
	"body" text NOT NULL,
	"position" integer NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicators" (
	"node_id" integer PRIMARY KEY NOT NULL,
	"measure" text,
	"unit" text NOT NULL,
	"target_value" numeric,
	"target_year" integer,
	"direction" text NOT NULL,
	"base_value" numeric,
	"data_source" text,
	"owner_department" text,
	"notes" text,
	CONSTRAINT "indicators_direction" CHECK ("indicators"."direction" in ('higher', 'lower', 'change_from_base'))
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" serial PRIMARY KEY NOT NULL,
	"indicator_id" integer NOT NULL,
	"value" numeric,
	"period_label" text NOT NULL,
	"period_end" date NOT NULL,
	"as_of" date,
	"note" text,
	"source" text NOT NULL,
	CONSTRAINT "observations_indicator_period" UNIQUE("indicator_id","period_label")
);
--> statement-breakpoint
CREATE TABLE "plan_nodes" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"parent_id" integer,
	"kind" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"description" text,
	"position" integer NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "plan_nodes_plan_code" UNIQUE("plan_id","code"),
	CONSTRAINT "plan_nodes_kind" CHECK ("plan_nodes"."kind" in ('basic_goal', 'field', 'kpi', 'indicator'))
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"owner" text NOT NULL,
	"settings" jsonb NOT NULL,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"as_of" date NOT NULL,
	"label" text NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"snapshot" jsonb NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "publications_plan_as_of" UNIQUE("plan_id","as_of")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_indicator_id_indicators_node_id_fk" FOREIGN KEY ("indicator_id") REFERENCES "public"."indicators"("node_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_nodes" ADD CONSTRAINT "plan_nodes_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_nodes" ADD CONSTRAINT "plan_nodes_parent_id_plan_nodes_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_nodes_parent" ON "plan_nodes" USING btree ("parent_id");