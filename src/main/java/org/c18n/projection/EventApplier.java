package org.c18n.projection;

import org.c18n.eventlog.Event;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
     * The types whose events it applies together ({@link #applyTogether}) when several come with
     * nothing between them but other appliers' such events: a run is a few statements instead of
     * a round trip or two per event (a flood of new posts, a crowd commenting and reacting).
     * Applying one of these types may read and write only this applier's own tables: the
     * projector applies the runs of different appliers one after the other, not interleaved as
     * they were in the log.
     */
    default Set<String> typesAppliedTogether() {
        return Set.of();
    }

    /**
     * Applies a run of events of one of {@link #typesAppliedTogether()}, with their places in the
     * log, to the same rows as {@link #apply} one by one in their order would; returns the reason
     * for each event it refused (by event id), having written nothing for those. One by one unless
     * the applier does better; the projector hands a run of one to {@link #apply}.
     */
    default Map<UUID, String> applyTogether(List<Event> events, List<LogPosition> positions, JdbcClient db) {
        return applyEach(this, events, positions, db);
    }

    /** Applies the events one by one with {@link #apply}; returns the reason for each it refused. */
    static Map<UUID, String> applyEach(EventApplier applier, List<Event> events, List<LogPosition> positions, JdbcClient db) {
        Map<UUID, String> refused = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            try {
                applier.apply(events.get(i), positions.get(i), db);
            } catch (Rejection rejection) {
                refused.put(events.get(i).id(), rejection.reason());
            }
        }
        return refused;
    }
}
