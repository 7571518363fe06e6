ALTER TABLE "staff_accounts" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "resident_accounts" ADD COLUMN "totp_last_step" bigint;