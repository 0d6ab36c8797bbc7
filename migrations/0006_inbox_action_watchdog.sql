ALTER TABLE `inbox_actions` ADD `next_attempt_at` integer;--> statement-breakpoint
CREATE INDEX `inbox_actions_state_idx` ON `inbox_actions` (`state`,`updated_at`);