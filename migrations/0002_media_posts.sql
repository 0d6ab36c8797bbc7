CREATE TABLE `media` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text NOT NULL,
	`kind` text,
	`mime_type` text,
	`name` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`width` integer,
	`height` integer,
	`duration_ms` integer,
	`video_codec` text,
	`audio_codec` text,
	`frame_rate_milli` integer,
	`alt_text` text,
	`tags` text NOT NULL,
	`poster_key` text,
	`upload_id` text,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `media_workspace_time_idx` ON `media` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `media_workspace_kind_idx` ON `media` (`workspace_id`,`kind`,`created_at`);--> statement-breakpoint
CREATE TABLE `media_parts` (
	`media_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size_bytes` integer NOT NULL,
	PRIMARY KEY(`media_id`, `part_number`),
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `post_media` (
	`post_id` text NOT NULL,
	`position` integer NOT NULL,
	`media_id` text NOT NULL,
	PRIMARY KEY(`post_id`, `position`),
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`media_id`) REFERENCES `media`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `post_media_media_idx` ON `post_media` (`media_id`);--> statement-breakpoint
CREATE TABLE `post_targets` (
	`id` text PRIMARY KEY NOT NULL,
	`post_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`connection_id` text NOT NULL,
	`platform` text NOT NULL,
	`format` text NOT NULL,
	`text_override` text,
	`options` text NOT NULL,
	`state` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`post_id`) REFERENCES `posts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connection_id`) REFERENCES `connections`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `post_targets_channel_unique` ON `post_targets` (`post_id`,`connection_id`);--> statement-breakpoint
CREATE INDEX `post_targets_workspace_idx` ON `post_targets` (`workspace_id`,`connection_id`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text NOT NULL,
	`base_text` text NOT NULL,
	`first_comment` text,
	`scheduled_at` integer,
	`timezone` text NOT NULL,
	`revision` integer NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `posts_workspace_time_idx` ON `posts` (`workspace_id`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `posts_workspace_status_idx` ON `posts` (`workspace_id`,`status`,`scheduled_at`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `media_max_file_bytes` integer DEFAULT 2147483648 NOT NULL;--> statement-breakpoint
ALTER TABLE `workspaces` ADD `media_quota_bytes` integer DEFAULT 53687091200 NOT NULL;