-- Content with an open moderation item is held (hidden from everyone but its author and moderators):
-- every read of posts and comments asks whether such an item exists.
CREATE INDEX moderation_queue_open_target ON moderation_queue (target_id) WHERE status = 'open';

-- An archived community is read-only; a deleted one is gone for everyone (its row stays so its name stays taken
-- and replays of later events about it are rejected, not applied).
ALTER TABLE communities ADD COLUMN archived_at timestamptz;
ALTER TABLE communities ADD COLUMN deleted_at timestamptz;

-- The community's rules (Markdown), shown on its page.
ALTER TABLE communities ADD COLUMN rules text;
