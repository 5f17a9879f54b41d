-- comment.pinned: at most one pinned top-level comment leads a post's thread.
ALTER TABLE comments ADD COLUMN pinned_at timestamptz;
CREATE UNIQUE INDEX comments_one_pinned_per_post ON comments (post_id) WHERE pinned_at IS NOT NULL;
