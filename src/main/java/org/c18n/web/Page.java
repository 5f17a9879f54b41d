package org.c18n.web;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** A page of a list, with the opaque cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, String nextCursor) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;
    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

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

    /** This page with {@code first} in front of its items (the cursor unchanged). */
    public Page<T> withFirst(T first) {
        List<T> all = new java.util.ArrayList<>(items.size() + 1);
        all.add(first);
        all.addAll(items);
        return new Page<>(List.copyOf(all), nextCursor);
    }

    /** The row offset a cursor of an offset-paged list stands for (0 for the first page). */
    public static int offset(String cursor) {
        String position = decode(cursor);
        try {
            int offset = position == null ? 0 : Integer.parseInt(position);
            if (offset < 0) {
                throw new NumberFormatException("negative");
            }
            return offset;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
        }
    }

    /** A keyset position: a row's time and id, as the cursors of posts and comments hold them. */
    public record Position(Instant at, UUID id) {}

    /** The position a "time|id" cursor stands for, or null for the first page. */
    public static Position position(String cursor) {
        String position = decode(cursor);
        if (position == null) {
            return null;
        }
        try {
            String[] parts = position.split("\\|");
            return new Position(instant(parts[0]), UUID.fromString(parts[1]));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
        }
    }

    /**
     * An instant from a request (a cursor's position, a date filter) that the stores can compare:
     * PostgreSQL's timestamps, and so every cursor we give out, lie within the years 1 to 9999.
     */
    public static Instant instant(String text) {
        return inRange(Instant.parse(text));
    }

    public static Instant inRange(Instant at) {
        if (at.isBefore(FIRST) || at.isAfter(LAST)) {
            throw new DateTimeException("outside the years 1 to 9999");
        }
        return at;
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
            String position = StandardCharsets.UTF_8.newDecoder().decode(
                    java.nio.ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor))).toString();
            if (StorableText.problem(position) != null) {
                throw new IllegalArgumentException("not a position we give out");
            }
            return position;
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw ApiException.badRequest("validation", "cursor: is not a cursor this API gave out");
        }
    }
}
