CREATE TABLE "agents" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"group" text,
	"config_file" text,
	"profile_pic" text,
	"in_a_nutshell" text,
	"characteristics" text,
	"recent_events" text,
	"is_critic" boolean DEFAULT false NOT NULL,
	"is_whiteboard" boolean DEFAULT false NOT NULL,
	"interrupt_every_turn" boolean DEFAULT false NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"transparent" boolean DEFAULT false NOT NULL,
	"system_prompt" text DEFAULT '' NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "agents_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "event_tickets" (
	"ticket_hash" text PRIMARY KEY NOT NULL,
	"room_id" integer NOT NULL,
	"role" text NOT NULL,
	"user_id" text NOT NULL,
	"credential_expires_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"room_id" integer NOT NULL,
	"agent_id" integer,
	"content" text NOT NULL,
	"role" text NOT NULL,
	"participant_type" text,
	"participant_name" text,
	"thinking" text,
	"anthropic_calls" jsonb,
	"image_data" text,
	"image_media_type" text,
	"provider" text,
	"model" text,
	"is_skip" boolean DEFAULT false NOT NULL,
	"timestamp" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "room_agent_sessions" (
	"room_id" integer NOT NULL,
	"agent_id" integer NOT NULL,
	"provider" text NOT NULL,
	"session_id" text NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "room_agent_sessions_room_id_agent_id_provider_pk" PRIMARY KEY("room_id","agent_id","provider")
);
--> statement-breakpoint
CREATE TABLE "room_agents" (
	"room_id" integer NOT NULL,
	"agent_id" integer NOT NULL,
	"joined_at" timestamp (3) with time zone,
	CONSTRAINT "room_agents_room_id_agent_id_pk" PRIMARY KEY("room_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner_id" text NOT NULL,
	"max_interactions" integer,
	"is_paused" boolean DEFAULT false NOT NULL,
	"is_finished" boolean DEFAULT false NOT NULL,
	"default_provider" text NOT NULL,
	"default_model" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_activity_at" timestamp (3) with time zone NOT NULL,
	"last_read_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "event_tickets" ADD CONSTRAINT "event_tickets_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_agent_sessions" ADD CONSTRAINT "room_agent_sessions_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_agent_sessions" ADD CONSTRAINT "room_agent_sessions_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_agents" ADD CONSTRAINT "room_agents_room_id_rooms_id_fk" FOREIGN KEY ("room_id") REFERENCES "public"."rooms"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "room_agents" ADD CONSTRAINT "room_agents_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "messages_room_timestamp_id" ON "messages" USING btree ("room_id","timestamp","id");--> statement-breakpoint
CREATE INDEX "messages_room_id_id" ON "messages" USING btree ("room_id","id");--> statement-breakpoint
CREATE INDEX "room_agents_agent" ON "room_agents" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "rooms_owner_name_unique" ON "rooms" USING btree ("owner_id","name");