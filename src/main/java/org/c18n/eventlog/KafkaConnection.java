package org.c18n.eventlog;

/** How to reach the event log, whichever broker it is. */
public record KafkaConnection(String bootstrapServers, int partitions, short replicationFactor) {}
