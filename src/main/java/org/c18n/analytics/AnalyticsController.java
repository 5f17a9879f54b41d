package org.c18n.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.community.Communities;
import org.c18n.eventlog.SpeedLayer;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The live analytics, for admins (and for a community's moderators, that community's series). */
@RestController
public class AnalyticsController {
    private final AnalyticsView view;
    private final SpeedLayer streams;
    private final Communities communities;

    public AnalyticsController(AnalyticsView view, SpeedLayer streams, Communities communities) {
        this.view = view;
        this.streams = streams;
        this.communities = communities;
    }

    public record Totals(Map<String, Long> totals, String streams) {}

    public record Series(String window, UUID community, Instant from, Instant to, Map<String, List<long[]>> series) {}

    @GetMapping("/api/v1/analytics/totals")
    public Totals totals(CurrentUser me) {
        requireAdmin(me);
        return new Totals(view.totals(), streams.state());
    }

    @GetMapping("/api/v1/analytics/series")
    public Series series(CurrentUser me, @RequestParam(defaultValue = "minute") String window,
                         @RequestParam(required = false) UUID community,
                         @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        if (!AnalyticsTopology.WINDOWS.containsKey(window)) {
            throw ApiException.badRequest("validation", "window: must be minute or hour");
        }
        if (community == null) {
            requireAdmin(me);
        } else if (!me.admin()) {
            String role = communities.visible(community, me).myRole();
            if (!"moderator".equals(role) && !"owner".equals(role)) {
                throw ApiException.forbidden("Only the community's moderators and admins see its analytics");
            }
        }
        Instant until = instant("to", to, Instant.now());
        Instant since = instant("from", from, until.minus(window.equals("minute") ? Duration.ofHours(1) : Duration.ofDays(1)));
        if (since.isAfter(until)) {
            throw ApiException.badRequest("validation", "from: is after to");
        }
        return new Series(window, community, since, until, view.series(window, community == null ? null : community.toString(),
                since, until));
    }

    private static void requireAdmin(CurrentUser me) {
        if (!me.admin()) {
            throw ApiException.forbidden("Only admins see the platform's analytics");
        }
    }

    private static Instant instant(String name, String value, Instant otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("validation", name + ": must be an instant (2026-11-26T10:15:30Z)");
        }
    }
}
