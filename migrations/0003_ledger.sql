CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`post_id` text,
	`target_id` text,
	`connection_id` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`resolved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `notifications_workspace_idx` ON `notifications` (`workspace_id`,`resolved_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `notifications_target_idx` ON `notifications` (`target_id`);--> statement-breakpoint
CREATE TABLE `publish_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`target_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`step` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`outcome` text,
	`http_status` integer,
	`platform_code` text,
	`message` text,
	FOREIGN KEY (`target_id`) REFERENCES `post_targets`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `publish_attempts_target_idx` ON `publish_attempts` (`target_id`,`started_at`);--> statement-breakpoint
ALTER TABLE `post_targets` ADD `revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `checkpoint` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `lease_owner` text;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `lease_expires_at` integer;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `commit_started_at` integer;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `remote_id` text;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `remote_url` text;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `published_at` integer;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `status_detail` text;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `error_code` text;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `next_attempt_at` integer;--> statement-breakpoint
ALTER TABLE `post_targets` ADD `remote_deleted_at` integer;--> statement-breakpoint
CREATE INDEX `post_targets_state_due_idx` ON `post_targets` (`state`,`due_at`);--> statement-breakpoint
UPDATE `post_targets` SET `due_at` = (SELECT `scheduled_at` FROM `posts` WHERE `posts`.`id` = `post_targets`.`post_id`) WHERE `state` = 'scheduled';
