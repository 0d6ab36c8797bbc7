DROP INDEX `conversations_workspace_idx`;--> statement-breakpoint
CREATE INDEX `conversations_recent_idx` ON `conversations` (`workspace_id`,`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_workspace_idx` ON `conversations` (`workspace_id`,`status`,`last_message_at`,`id`);