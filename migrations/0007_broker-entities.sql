CREATE TABLE "broker_entities" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"types" text[] NOT NULL,
	"attrs" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "broker_entities_tenant_id_pk" PRIMARY KEY("tenant","id")
);
--> statement-breakpoint
CREATE INDEX "broker_entities_types" ON "broker_entities" USING gin ("types");