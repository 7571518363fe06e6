CREATE TABLE "resident_sign_in_steps" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"resident_id" text NOT NULL,
	"next" text,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resident_sign_up_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"email_lookup" text NOT NULL,
	"email" text NOT NULL,
	"totp_secret" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD COLUMN "email_lookup" text;--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD COLUMN "email_verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD COLUMN "password_hash" text;--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD COLUMN "totp_secret" text;--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD CONSTRAINT "resident_accounts_email_lookup_unique" UNIQUE("email_lookup");