-- Which notifications each person wants mailed in a digest while away (topic c18n.notifications,
-- notification.email_preferences_set). No row: the defaults (digest on, every kind).
CREATE TABLE email_preferences (
    user_id  uuid    PRIMARY KEY,
    digest   boolean NOT NULL,
    mentions boolean NOT NULL,
    messages boolean NOT NULL,
    replies  boolean NOT NULL
);
