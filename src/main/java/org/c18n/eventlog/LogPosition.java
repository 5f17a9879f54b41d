package org.c18n.eventlog;

/** Where an event sits in the log; its offset orders everything with the same key. */
public record LogPosition(String topic, int partition, long offset) {}
