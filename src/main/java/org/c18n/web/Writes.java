package org.c18n.web;

import java.net.URI;
import java.util.Map;
import java.util.function.Supplier;
import org.c18n.eventlog.Commands;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The answer to a write: 201 with the resource read back from the view once the projector has
 * applied the event; 202 with its Location when the bounded wait ran out (the event is durable
 * in the log and will be applied); 409 when the projector refused it by a rule of log order.
 */
public final class Writes {
    private Writes() {}

    public static <T> ResponseEntity<Object> created(Commands.Outcome outcome, String location, Supplier<T> read) {
        return answer(outcome, location, HttpStatus.CREATED, read);
    }

    /** For a change to an existing resource: 200 with it, or 202 as above. */
    public static <T> ResponseEntity<Object> changed(Commands.Outcome outcome, String location, Supplier<T> read) {
        return answer(outcome, location, HttpStatus.OK, read);
    }

    private static <T> ResponseEntity<Object> answer(Commands.Outcome outcome, String location, HttpStatus status,
                                                     Supplier<T> read) {
        outcome.rejection().ifPresent(reason -> {
            throw ApiException.conflict(reason, Rejections.describe(reason));
        });
        if (!outcome.applied()) {
            return ResponseEntity.accepted().location(URI.create(location))
                    .body(Map.of("status", "accepted", "eventId", outcome.eventId(), "location", location));
        }
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status);
        if (status == HttpStatus.CREATED) {
            builder.location(URI.create(location));
        }
        return builder.body(read.get());
    }
}
