CREATE TABLE "resident_identity_links" (
	"provider" text NOT NULL,
	"subject_hmac" text NOT NULL,
	"resident_id" text NOT NULL,
	"issuer" text NOT NULL,
	"acr" text,
	"amr" jsonb,
	"auth_time" timestamp with time zone,
	"verified_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resident_identity_links_provider_subject_hmac_pk" PRIMARY KEY("provider","subject_hmac")
);
--> statement-breakpoint
CREATE INDEX "resident_identity_links_resident" ON "resident_identity_links" USING btree ("resident_id");