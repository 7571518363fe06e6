CREATE TABLE "budget_lines" (
	"id" serial PRIMARY KEY NOT NULL,
	"node_id" integer NOT NULL,
	"fiscal_year" integer,
	"amount" numeric,
	"cell" text NOT NULL,
	CONSTRAINT "budget_lines_node_year" UNIQUE NULLS NOT DISTINCT("node_id","fiscal_year"),
	CONSTRAINT "budget_lines_cell" CHECK (("budget_lines"."cell" = 'value') = ("budget_lines"."amount" is not null) and "budget_lines"."cell" in ('value', 'blank', 'dash'))
);
--> statement-breakpoint
CREATE TABLE "evaluation_indicators" (
	"id" serial PRIMARY KEY NOT NULL,
	"evaluation_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"actual_text" text NOT NULL,
	"target_text" text NOT NULL,
	"published_grade" text NOT NULL,
	"final_target_text" text
);
--> statement-breakpoint
CREATE TABLE "evaluations" (
	"id" serial PRIMARY KEY NOT NULL,
	"node_id" integer NOT NULL,
	"fiscal_year" integer NOT NULL,
	"number_in_report" integer,
	"summary" jsonb NOT NULL,
	"results" jsonb NOT NULL,
	"effects" jsonb NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "evaluations_node_year" UNIQUE("node_id","fiscal_year")
);
--> statement-breakpoint
CREATE TABLE "municipalities" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_municipalities" (
	"plan_id" text NOT NULL,
	"municipality_code" text NOT NULL,
	"role" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "plan_municipalities_plan_id_municipality_code_pk" PRIMARY KEY("plan_id","municipality_code")
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"date" date,
	"project_count" integer,
	"position" integer NOT NULL,
	"is_current" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"note" text,
	CONSTRAINT "plan_versions_plan_code" UNIQUE("plan_id","code")
);
--> statement-breakpoint
CREATE TABLE "project_partners" (
	"node_id" integer NOT NULL,
	"municipality_code" text NOT NULL,
	CONSTRAINT "project_partners_node_id_municipality_code_pk" PRIMARY KEY("node_id","municipality_code")
);
--> statement-breakpoint
CREATE TABLE "version_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"from_version_id" integer NOT NULL,
	"to_version_id" integer NOT NULL,
	"kind" text NOT NULL,
	"node_id" integer NOT NULL,
	"into_node_id" integer,
	"note" text,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "version_projects" (
	"version_id" integer NOT NULL,
	"node_id" integer NOT NULL,
	"number" integer,
	CONSTRAINT "version_projects_version_id_node_id_pk" PRIMARY KEY("version_id","node_id"),
	CONSTRAINT "version_projects_number" UNIQUE("version_id","number")
);
--> statement-breakpoint
ALTER TABLE "plan_nodes" DROP CONSTRAINT "plan_nodes_kind";--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "target_kind" text DEFAULT 'value' NOT NULL;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "target_text" text;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "baseline_text" text;--> statement-breakpoint
ALTER TABLE "indicators" ADD COLUMN "mark" text;--> statement-breakpoint
ALTER TABLE "plan_nodes" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "kind" text DEFAULT 'dashboard' NOT NULL;--> statement-breakpoint
ALTER TABLE "budget_lines" ADD CONSTRAINT "budget_lines_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_indicators" ADD CONSTRAINT "evaluation_indicators_evaluation_id_evaluations_id_fk" FOREIGN KEY ("evaluation_id") REFERENCES "public"."evaluations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluations" ADD CONSTRAINT "evaluations_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_municipalities" ADD CONSTRAINT "plan_municipalities_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_municipalities" ADD CONSTRAINT "plan_municipalities_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_partners" ADD CONSTRAINT "project_partners_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_partners" ADD CONSTRAINT "project_partners_municipality_code_municipalities_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipalities"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_changes" ADD CONSTRAINT "version_changes_from_version_id_plan_versions_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_changes" ADD CONSTRAINT "version_changes_to_version_id_plan_versions_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_changes" ADD CONSTRAINT "version_changes_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_changes" ADD CONSTRAINT "version_changes_into_node_id_plan_nodes_id_fk" FOREIGN KEY ("into_node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_projects" ADD CONSTRAINT "version_projects_version_id_plan_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."plan_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "version_projects" ADD CONSTRAINT "version_projects_node_id_plan_nodes_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."plan_nodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_nodes" ADD CONSTRAINT "plan_nodes_kind" CHECK ("plan_nodes"."kind" in ('basic_goal', 'field', 'kpi', 'indicator', 'category', 'project', 'chapter', 'policy', 'measure'));