-- Records of the log a reader could not apply, kept as raw bytes (so that recording them cannot
-- fail the way applying them did) for an operator to inspect; the reader skipped them and moved on.
CREATE TABLE dead_letters (
    reader      text        NOT NULL,
    topic       text        NOT NULL,
    partition   int         NOT NULL,
    "offset"    bigint      NOT NULL,
    record_key  bytea,
    record_value bytea,
    reason      text        NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reader, topic, partition, "offset")
);
