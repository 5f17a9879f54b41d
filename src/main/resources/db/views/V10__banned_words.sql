-- Words a community's moderators do not want in posts and comments: the speed layer flags content that uses them.
ALTER TABLE communities ADD COLUMN banned_words text[] NOT NULL DEFAULT '{}';
