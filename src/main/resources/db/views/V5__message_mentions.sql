-- Members of the room named in a message (@username), for highlighting and notifications.
ALTER TABLE messages ADD COLUMN mentions uuid[] NOT NULL DEFAULT '{}';
