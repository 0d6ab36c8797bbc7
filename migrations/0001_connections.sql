CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text NOT NULL,
	`name` text NOT NULL,
	`handle` text,
	`avatar_url` text,
	`status` text NOT NULL,
	`status_reason` text,
	`access_token_sealed` text,
	`refresh_token_sealed` text,
	`grant_token_sealed` text,
	`token_expires_at` integer,
	`refresh_expires_at` integer,
	`scopes` text NOT NULL,
	`metadata` text NOT NULL,
	`grant_family` text NOT NULL,
	`grant_account_id` text NOT NULL,
	`connected_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_refreshed_at` integer,
	`refresh_lease_until` integer,
	`disconnected_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`connected_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `connections_channel_unique` ON `connections` (`workspace_id`,`platform`,`external_id`);--> statement-breakpoint
CREATE INDEX `connections_refresh_idx` ON `connections` (`status`,`token_expires_at`);--> statement-breakpoint
CREATE INDEX `connections_disconnected_idx` ON `connections` (`disconnected_at`);--> statement-breakpoint
CREATE INDEX `connections_grant_idx` ON `connections` (`grant_family`,`grant_account_id`);--> statement-breakpoint
CREATE TABLE `oauth_states` (
	`state_hash` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`session_id` text NOT NULL,
	`platform` text NOT NULL,
	`code_verifier_sealed` text,
	`reconnect_connection_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `oauth_states_expires_idx` ON `oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `pending_grants` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`platform` text NOT NULL,
	`payload_sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `pending_grants_expires_idx` ON `pending_grants` (`expires_at`);