ALTER TABLE "room_runners" ADD COLUMN "lease_holder" text;--> statement-breakpoint
ALTER TABLE "room_runners" ADD COLUMN "lease_run_id" text;--> statement-breakpoint
ALTER TABLE "room_runners" ADD COLUMN "lease_kind" text;--> statement-breakpoint
ALTER TABLE "room_runners" ADD COLUMN "lease_expires_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "room_runners" ADD COLUMN "cancel_requested" boolean DEFAULT false NOT NULL;