CREATE TABLE "resident_profiles" (
	"resident_id" text PRIMARY KEY NOT NULL,
	"municipality_code" text NOT NULL,
	"name" text NOT NULL,
	"address" text,
	"birth_date" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
