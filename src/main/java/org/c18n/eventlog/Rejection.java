package org.c18n.eventlog;

/** The projector refused an event by a rule of the log's order; recorded, never applied. */
public class Rejection extends RuntimeException {
    private final String reason;

    public Rejection(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
