-- One key per person, sealing the data of every event about them on topic c18n.users. Erasure
-- destroys the key (key NULL, destroyed_at set) and keeps the row: a person whose key was
-- destroyed reads as erased, while a key that is missing (this table lost, not restored) makes
-- the events unreadable instead, so a lost backup never quietly erases everyone on replay.
CREATE TABLE person_keys (
    person_id    uuid PRIMARY KEY,
    key          bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    destroyed_at timestamptz,
    CHECK ((key IS NULL) = (destroyed_at IS NOT NULL))
);
