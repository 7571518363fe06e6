CREATE TABLE "broker_contexts" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"document" jsonb NOT NULL,
	"kind" text DEFAULT 'hosted' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "broker_contexts_url_unique" UNIQUE("url")
);
--> statement-breakpoint
CREATE TABLE "broker_geo" (
	"tenant" text NOT NULL,
	"entity_id" text NOT NULL,
	"attr" text NOT NULL,
	"bbox" "box" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broker_history" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"tenant" text NOT NULL,
	"entity_id" text NOT NULL,
	"types" text[] NOT NULL,
	"attr" text NOT NULL,
	"instance" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broker_notifications" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"tenant" text NOT NULL,
	"subscription_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "broker_subscriptions" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"body" jsonb NOT NULL,
	"context" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"expires_at" timestamp with time zone,
	"times_sent" integer DEFAULT 0 NOT NULL,
	"last_notification" timestamp with time zone,
	"last_success" timestamp with time zone,
	"last_failure" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "broker_subscriptions_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE INDEX "broker_geo_entity" ON "broker_geo" USING btree ("tenant","entity_id");--> statement-breakpoint
CREATE INDEX "broker_geo_bbox" ON "broker_geo" USING gist ("bbox");--> statement-breakpoint
CREATE INDEX "broker_history_entity" ON "broker_history" USING btree ("tenant","entity_id","attr","at");--> statement-breakpoint
CREATE INDEX "broker_notifications_due" ON "broker_notifications" USING btree ("next_attempt_at");