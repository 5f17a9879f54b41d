package org.c18n.eventlog;

import java.util.Optional;
import java.util.UUID;
import org.c18n.infra.C18nProperties;
import org.springframework.stereotype.Component;

/**
 * The write path every feature uses: append the event to the log, then wait (bounded) until the
 * projector has applied it, so the answer can be read from the views (read-your-writes).
 */
@Component
public class Commands {
    private final EventLog log;
    private final ProjectionTracker tracker;
    private final C18nProperties props;

    public Commands(EventLog log, ProjectionTracker tracker, C18nProperties props) {
        this.log = log;
        this.tracker = tracker;
        this.props = props;
    }

    /**
     * What became of a submitted event: {@code applied} false means the wait timed out (the
     * event is durable in the log and will be applied); {@code rejection} is the projector's
     * reason when it refused the event.
     */
    public record Outcome(EventLog.Appended appended, boolean applied, Optional<String> rejection) {
        public UUID eventId() {
            return appended.event().id();
        }
    }

    public Outcome submit(String topic, String type, UUID actor, String key, Object data) {
        EventLog.Appended appended = log.append(topic, type, actor, key, data);
        boolean applied = tracker.awaitApplied(appended.topic(), appended.partition(), appended.offset(), props.writeWait());
        Optional<String> rejection = applied
                ? tracker.rejection(appended.topic(), appended.partition(), appended.offset(), appended.event().id())
                : Optional.empty();
        return new Outcome(appended, applied, rejection);
    }
}
