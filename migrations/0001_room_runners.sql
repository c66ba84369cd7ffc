CREATE TABLE "room_runners" (
	"room_id" integer PRIMARY KEY NOT NULL,
	"last_run_ended_at" timestamp (3) with time zone,
	"cooldown_until" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "room_runners" ADD CONSTRAINT "room_runners_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;