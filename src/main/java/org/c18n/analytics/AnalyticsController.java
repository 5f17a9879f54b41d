package org.c18n.analytics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.c18n.community.Communities;
import org.c18n.speedlayer.SpeedLayer;
import org.c18n.eventlog.Uuids;
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
    private final org.springframework.jdbc.core.simple.JdbcClient db;

    public AnalyticsController(AnalyticsView view, SpeedLayer streams, Communities communities,
                               org.springframework.jdbc.core.simple.JdbcClient db) {
        this.view = view;
        this.streams = streams;
        this.communities = communities;
        this.db = db;
    }

    public record Totals(Map<String, Long> totals, String streams) {}

    public record Series(String window, UUID community, Instant from, Instant to, Map<String, List<long[]>> series) {}

    @GetMapping("/api/v1/analytics/totals")
    public Totals totals(CurrentUser me) {
        requireAdmin(me);
        return new Totals(view.totals(), streams.state());
    }

    public record Scored(String id, String name, double score) {}

    public record Trending(List<Scored> communities, List<Scored> tags, List<Scored> posters) {}

    /** Trending communities and tags (scores halve every 6 hours) and top posters (every 24 hours). */
    @GetMapping("/api/v1/analytics/trending")
    public Trending trending(CurrentUser me, @RequestParam(defaultValue = "10") int limit) {
        requireAdmin(me);
        if (limit < 1 || limit > 100) {
            throw ApiException.badRequest("validation", "limit: must be between 1 and 100");
        }
        return new Trending(named(view.trending("community", limit), "SELECT id::text, name FROM communities WHERE id = ANY (?)"),
                view.trending("tag", limit).stream().map(e -> new Scored(e.getKey(), e.getKey(), round(e.getValue()))).toList(),
                named(view.trending("poster", limit), "SELECT id::text, username FROM users WHERE id = ANY (?)"));
    }

    /**
     * The scores of ids the views know, with their names: the speed layer counts every event of the
     * log, also one the projector refused (whose id may name nothing, or not even be an id).
     */
    private List<Scored> named(List<Map.Entry<String, Double>> scores, String sql) {
        UUID[] ids = scores.stream().map(e -> Uuids.parse(e.getKey())).filter(java.util.Objects::nonNull).toArray(UUID[]::new);
        Map<String, String> names = new java.util.HashMap<>();
        if (ids.length > 0) {
            db.sql(sql).param(ids).query((rs, n) -> names.put(rs.getString(1), rs.getString(2))).list();
        }
        return scores.stream().filter(e -> names.containsKey(e.getKey()))
                .map(e -> new Scored(e.getKey(), names.get(e.getKey()), round(e.getValue()))).toList();
    }

    private static double round(double score) {
        return Math.round(score * 100) / 100.0;
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
            String role = communities.visible(community, me).orElseThrow(() -> ApiException.notFound("Community"))
                    .myRole();
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
            return org.c18n.web.Page.instant(value);
        } catch (java.time.DateTimeException e) {
            throw ApiException.badRequest("validation", name + ": must be an instant (2026-11-26T10:15:30Z)");
        }
    }
}
