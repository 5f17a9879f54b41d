package org.c18n.projection;

import org.c18n.eventlog.Event;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;

import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A feature's projection: applies its event types to the feature's SQL views. The projector
 * calls it inside the batch transaction, in partition order, once per event (an event already
 * recorded in {@code events} is never applied again).
 *
 * <p>A rule that can only be decided in log order (a name taken by an earlier event) is refused
 * by throwing {@link Rejection} <em>before</em> writing anything; the projector records it, and
 * replay reaches the same decision.
 */
public interface EventApplier {
    Set<String> types();

    void apply(Event event, LogPosition position, JdbcClient db);

    /**
     * The types it is also handed when shredded (a sealed event of an erased person: only their
     * id is left of its data). Others are recorded but not applied: the person's erasure has
     * already undone what they did to the views.
     */
    default Set<String> typesWhenShredded() {
        return Set.of();
    }

    /**
     * The types whose events, when several come in a row, it applies together ({@link #applyTogether}):
     * only types that add rows and are never refused, so that a run is one statement instead of one
     * round trip each (a flood of new posts).
     */
    default Set<String> typesAppliedTogether() {
        return Set.of();
    }

    /**
     * Applies a run of events of one of {@link #typesAppliedTogether()}, in their order, with their
     * places in the log; one by one unless the applier writes them in one statement.
     */
    default void applyTogether(List<Event> events, List<LogPosition> positions, JdbcClient db) {
        for (int i = 0; i < events.size(); i++) {
            apply(events.get(i), positions.get(i), db);
        }
    }
}
