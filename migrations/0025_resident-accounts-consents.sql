CREATE TABLE "personal_data_access_log" (
	"id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"resident_id" text NOT NULL,
	"actor_kind" text NOT NULL,
	"actor_id" text NOT NULL,
	"organisation_id" text,
	"purpose_id" text NOT NULL,
	"categories" jsonb NOT NULL,
	"basis" text NOT NULL,
	"consent_id" text,
	"legal_basis_id" text,
	"allowed" boolean NOT NULL,
	"channel" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "consent_records" (
	"id" text PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"purpose_id" text NOT NULL,
	"purpose_version" integer NOT NULL,
	"recipient_id" text NOT NULL,
	"categories" jsonb NOT NULL,
	"legal_basis" text DEFAULT 'dpv:Consent' NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "legal_basis_records" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"purpose_id" text NOT NULL,
	"categories" jsonb NOT NULL,
	"legal_basis" text NOT NULL,
	"reason" text NOT NULL,
	"resident_id" text,
	"municipality_code" text,
	"recorded_by" text NOT NULL,
	"valid_from" timestamp with time zone DEFAULT now() NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "resident_data_items" (
	"resident_id" text NOT NULL,
	"category" text NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_data_items_resident_id_category_pk" PRIMARY KEY("resident_id","category")
);
--> statement-breakpoint
CREATE TABLE "resident_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"csrf" text NOT NULL,
	"id_token" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "personal_data_access_log_resident" ON "personal_data_access_log" USING btree ("resident_id","at");--> statement-breakpoint
CREATE INDEX "personal_data_access_log_actor" ON "personal_data_access_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "consent_records_resident" ON "consent_records" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "consent_records_purpose_recipient" ON "consent_records" USING btree ("purpose_id","recipient_id");