-- Who may see an upload is decided by the messages that carry it.
CREATE INDEX messages_media ON messages USING gin (media_ids);
