-- Where each refused event lies in the log: the speed layer learns the projector's verdicts on a
-- stretch of a partition with one query (see speedlayer/ProjectorGate).
ALTER TABLE event_rejections ADD COLUMN topic text, ADD COLUMN partition int, ADD COLUMN log_offset bigint;
UPDATE event_rejections r SET topic = e.topic, partition = e.partition, log_offset = e."offset"
FROM events e WHERE e.id = r.event_id;
CREATE INDEX event_rejections_position ON event_rejections (topic, partition, log_offset);
