package org.c18n.eventlog;

/**
 * A command (or a query's input) refused before anything is done: it breaks a rule, what it names
 * is not there (or not the caller's to see), or it is not the caller's to do. {@code reason} is the
 * stable slug clients see: the problem type over HTTP (docs/api.md), the error code on the socket.
 * The web layer picks the status from {@link Kind}. Unlike a {@link Rejection}, which the log's
 * order decides after the fact, this is known before anything is appended.
 */
public class Refused extends RuntimeException {
    public enum Kind { INVALID, NOT_FOUND, FORBIDDEN, CONFLICT, TOO_LARGE, UNAVAILABLE }

    private final Kind kind;
    private final String reason;

    public Refused(Kind kind, String reason, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.reason = reason;
    }

    public static Refused invalid(String reason, String detail) {
        return new Refused(Kind.INVALID, reason, detail);
    }

    public static Refused notFound(String what) {
        return new Refused(Kind.NOT_FOUND, "not-found", what + " not found");
    }

    public static Refused forbidden(String detail) {
        return new Refused(Kind.FORBIDDEN, "forbidden", detail);
    }

    public static Refused conflict(String reason, String detail) {
        return new Refused(Kind.CONFLICT, reason, detail);
    }

    public static Refused tooLarge(String detail) {
        return new Refused(Kind.TOO_LARGE, "too-large", detail);
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }
}
