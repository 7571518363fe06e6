CREATE TABLE "disaster_push_deliveries" (
	"job_id" bigint NOT NULL,
	"subscription_id" bigint NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disaster_push_deliveries_job_id_subscription_id_pk" PRIMARY KEY("job_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "disaster_push_jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_version" text NOT NULL,
	"alert" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expanded_at" timestamp with time zone,
	CONSTRAINT "disaster_push_jobs_alert_version_unique" UNIQUE("alert_version")
);
--> statement-breakpoint
CREATE TABLE "disaster_push_points" (
	"subscription_id" bigint NOT NULL,
	"min_lon" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"max_lon" double precision NOT NULL,
	"max_lat" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disaster_push_subscriptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"endpoint_hash" text NOT NULL,
	"subscription" jsonb NOT NULL,
	"areas" jsonb NOT NULL,
	"municipalities" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disaster_push_subscriptions_endpoint_hash_unique" UNIQUE("endpoint_hash")
);
--> statement-breakpoint
ALTER TABLE "disaster_push_deliveries" ADD CONSTRAINT "disaster_push_deliveries_job_id_disaster_push_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."disaster_push_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disaster_push_deliveries" ADD CONSTRAINT "disaster_push_deliveries_subscription_id_disaster_push_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."disaster_push_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disaster_push_points" ADD CONSTRAINT "disaster_push_points_subscription_id_disaster_push_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."disaster_push_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disaster_push_deliveries_next" ON "disaster_push_deliveries" USING btree ("next_at");--> statement-breakpoint
CREATE INDEX "disaster_push_points_box" ON "disaster_push_points" USING btree ("min_lon","max_lon","min_lat","max_lat");--> statement-breakpoint
CREATE INDEX "disaster_push_points_sub" ON "disaster_push_points" USING btree ("subscription_id");--> statement-breakpoint
CREATE INDEX "disaster_push_subscriptions_municipalities" ON "disaster_push_subscriptions" USING gin ("municipalities");