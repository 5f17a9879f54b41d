package org.c18n.eventlog;

/** The log did not acknowledge a write: nothing was recorded, the client may retry. */
public class EventLogUnavailableException extends RuntimeException {
    public EventLogUnavailableException(Throwable cause) {
        super("The event log did not acknowledge the write", cause);
    }
}
