CREATE TABLE "broker_registrations" (
	"tenant" text NOT NULL,
	"id" text NOT NULL,
	"body" jsonb NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"modified_at" timestamp with time zone NOT NULL,
	CONSTRAINT "broker_registrations_tenant_id_pk" PRIMARY KEY("tenant","id")
);
