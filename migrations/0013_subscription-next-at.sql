ALTER TABLE "broker_subscriptions" ADD COLUMN "next_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "broker_subscriptions_due" ON "broker_subscriptions" USING btree ("next_at");