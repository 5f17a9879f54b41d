-- A member may mute a community's new-post notifications.
ALTER TABLE community_members ADD COLUMN muted boolean NOT NULL DEFAULT false;
