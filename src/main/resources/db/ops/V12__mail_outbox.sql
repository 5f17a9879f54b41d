-- E-mails derived from the log, waiting to be sent or sent. The id is deterministic (the causing
-- event's id and the mail's purpose): a reader that reads the same event again (replay, a
-- rebalance) inserts nothing, so no mail goes out twice. The body may hold a reset link: it is
-- cleared once the mail is sent.
CREATE TABLE mail_outbox (
    id              text        PRIMARY KEY,
    recipient       text        NOT NULL,
    subject         text        NOT NULL,
    body            text,
    unsubscribe_url text,
    status          text        NOT NULL DEFAULT 'pending',
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    last_error_at   timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';

-- Where the mail reader is in the log, per partition (it resumes there after a restart).
CREATE TABLE mail_reader_positions (
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);
