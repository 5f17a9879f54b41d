package org.c18n.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.c18n.identity.UserView;
import org.c18n.identity.Users;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Full-text search and as-you-type suggestions, over the configured backend (this node's index or OpenSearch). */
@RestController
public class SearchController {
    private final SearchBackend search;
    private final Users users;

    SearchController(SearchBackend search, Users users) {
        this.search = search;
        this.users = users;
    }

    @GetMapping("/api/v1/search")
    public Search.Result search(CurrentUser me,
                                @RequestParam(required = false) String q,
                                @RequestParam(required = false) String type,
                                @RequestParam(required = false) UUID community,
                                @RequestParam(required = false) String tag,
                                @RequestParam(required = false) String author,
                                @RequestParam(required = false) String from,
                                @RequestParam(required = false) String to,
                                @RequestParam(required = false) String cursor,
                                @RequestParam(required = false) Integer limit,
                                HttpServletResponse response) {
        boolean noText = q == null || q.isBlank();
        if (noText && type == null && community == null && tag == null && author == null) {
            throw ApiException.badRequest("validation", "q: is required (or name a type, community, tag or author to list)");
        }
        if (type != null && !SearchDoc.TYPES.contains(type)) {
            throw ApiException.badRequest("validation", "type: must be one of " + String.join(", ", SearchDoc.TYPES));
        }
        Instant since = instant("from", from, false);
        Instant until = instant("to", to, true);
        if (since != null && until != null && since.isAfter(until)) {
            throw ApiException.badRequest("validation", "from: is after to");
        }
        int offset = Page.offset(cursor);
        int n = Page.limit(limit);
        if (offset > Search.MAX_OFFSET) {
            throw ApiException.badRequest("validation", "cursor: results are available up to the first " + Search.MAX_OFFSET);
        }
        ServerTiming timing = new ServerTiming();
        Search.Result result = search.search(new Search.Request(q, type, community, blankToNull(tag),
                author(author), since, until, offset, n), me, timing);
        response.setHeader("Server-Timing", timing.header());
        return result;
    }

    @GetMapping("/api/v1/search/suggest")
    public List<Search.Suggestion> suggest(CurrentUser me, @RequestParam(required = false) String q) {
        if (q == null || q.isBlank()) {
            throw ApiException.badRequest("validation", "q: is required");
        }
        return search.suggest(q, me);
    }

    /** A user id or username; an unknown username simply matches nobody's content. */
    private UUID author(String author) {
        if (author == null || author.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(author);
        } catch (IllegalArgumentException notAnId) {
            return users.byUsername(author.strip()).map(UserView::id).orElse(new UUID(0, 0));
        }
    }

    /** An ISO-8601 instant or a date (a {@code to} date includes that whole day, UTC). */
    private static Instant instant(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Page.instant(value);
        } catch (java.time.DateTimeException notAnInstant) {
            try {
                LocalDate date = LocalDate.parse(value);
                return Page.inRange((endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant()
                        .minusMillis(endOfDay ? 1 : 0));
            } catch (java.time.DateTimeException e) {
                throw ApiException.badRequest("validation", name + ": must be a date (2026-11-26) or an instant "
                        + "(2026-11-26T10:15:30Z)");
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
