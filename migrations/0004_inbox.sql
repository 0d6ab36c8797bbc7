CREATE TABLE `conversation_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`author_id` text,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `conversation_notes_conversation_idx` ON `conversation_notes` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `conversation_reads` (
	`conversation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`conversation_id`, `user_id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text NOT NULL,
	`post_target_id` text,
	`title` text NOT NULL,
	`participant_id` text,
	`participant_name` text,
	`permalink` text,
	`status` text NOT NULL,
	`assignee_id` text,
	`claimed_by` text,
	`claimed_at` integer,
	`tags` text NOT NULL,
	`last_message_at` integer NOT NULL,
	`last_inbound_at` integer,
	`preview` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`claimed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_external_unique` ON `conversations` (`connection_id`,`kind`,`external_id`);--> statement-breakpoint
CREATE INDEX `conversations_workspace_idx` ON `conversations` (`workspace_id`,`status`,`last_message_at`);--> statement-breakpoint
CREATE TABLE `inbox_actions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`message_id` text,
	`outbound_message_id` text,
	`kind` text NOT NULL,
	`text` text,
	`state` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`remote_id` text,
	`error` text,
	`attempts` integer NOT NULL,
	`requested_by` text,
	`rule_id` text,
	`lease_owner` text,
	`lease_expires_at` integer,
	`commit_started_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`outbound_message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_actions_idempotency_unique` ON `inbox_actions` (`workspace_id`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `inbox_actions_conversation_idx` ON `inbox_actions` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `inbox_rule_hits` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`rule_id` text NOT NULL,
	`message_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`author_id` text,
	`outcome` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`rule_id`) REFERENCES `inbox_rules`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_rule_hits_once` ON `inbox_rule_hits` (`rule_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `inbox_rule_hits_rule_idx` ON `inbox_rule_hits` (`rule_id`,`at`);--> statement-breakpoint
CREATE INDEX `inbox_rule_hits_author_idx` ON `inbox_rule_hits` (`rule_id`,`author_id`,`at`);--> statement-breakpoint
CREATE TABLE `inbox_rules` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`priority` integer NOT NULL,
	`stop_after_match` integer NOT NULL,
	`conditions` text NOT NULL,
	`actions` text NOT NULL,
	`cooldown_seconds` integer NOT NULL,
	`quiet_hours` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `inbox_rules_workspace_idx` ON `inbox_rules` (`workspace_id`,`priority`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`external_id` text,
	`parent_external_id` text,
	`direction` text NOT NULL,
	`state` text NOT NULL,
	`author_id` text,
	`author_name` text,
	`text` text NOT NULL,
	`attachments` text NOT NULL,
	`hidden` integer NOT NULL,
	`liked` integer NOT NULL,
	`sent_by` text,
	`rule_id` text,
	`platform_at` integer NOT NULL,
	`edited_at` integer,
	`removed_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sent_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_external_unique` ON `messages` (`connection_id`,`external_id`);--> statement-breakpoint
CREATE INDEX `messages_conversation_idx` ON `messages` (`conversation_id`,`platform_at`);--> statement-breakpoint
CREATE INDEX `messages_workspace_idx` ON `messages` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `saved_replies` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`text` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `saved_replies_workspace_idx` ON `saved_replies` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `webhook_rejections` (
	`source` text NOT NULL,
	`day` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`source`, `day`)
);
