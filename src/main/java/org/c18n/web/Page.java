package org.c18n.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** A page of a list, with the opaque cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ApiException.badRequest("validation", "limit: must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }

    /** Builds a page from up to {@code limit + 1} rows fetched; the extra row signals a next page. */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> cursorOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), encode(cursorOf.apply(items.get(limit - 1))));
    }

    /** The row offset a cursor of an offset-paged list stands for (0 for the first page). */
    public static int offset(String cursor) {
        String position = decode(cursor);
        try {
            return position == null ? 0 : Integer.parseInt(position);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
        }
    }

    public static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor stands for, or null for the first page. */
    public static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
        }
    }
}
