package org.c18n.post;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.c18n.identity.Users;
import org.c18n.web.ApiException;
import org.c18n.web.CurrentUser;
import org.c18n.web.Page;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A person's recent posts and comments for their profile page: only what the caller may read, by
 * the same rules as everywhere else ({@link Posts#mayRead}), applied to the person's newest rows.
 */
@RestController
public class ProfileActivityController {
    /** Rows read at a time, and at most this many times a page: a page may come back short, with a cursor. */
    static final int BATCH = 50;
    static final int MAX_BATCHES = 4;

    private final Posts posts;
    private final Comments comments;
    private final Users users;

    public ProfileActivityController(Posts posts, Comments comments, Users users) {
        this.posts = posts;
        this.comments = comments;
        this.users = users;
    }

    @GetMapping("/api/v1/users/{userId}/posts")
    public Page<PostJson> posts(CurrentUser me, @PathVariable UUID userId, @RequestParam(required = false) String cursor,
                                @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        requireUser(userId);
        Page<PostRow> page = readable(n, Page.position(cursor), after -> posts.byAuthor(userId, me.id(), after, BATCH),
                row -> posts.mayRead(row, me), PostRow::cursor);
        return new Page<>(posts.json(page.items(), me), page.nextCursor());
    }

    @GetMapping("/api/v1/users/{userId}/comments")
    public Page<Comments.CommentJson> comments(CurrentUser me, @PathVariable UUID userId,
                                               @RequestParam(required = false) String cursor,
                                               @RequestParam(required = false) Integer limit) {
        int n = Page.limit(limit);
        requireUser(userId);
        Map<UUID, Boolean> postReadable = new HashMap<>();
        return readable(n, Page.position(cursor), after -> comments.byAuthor(userId, me.id(), after, BATCH),
                c -> postReadable.computeIfAbsent(c.postId(), post -> posts.readable(post, me).isPresent()),
                Comments.CommentJson::cursor);
    }

    private void requireUser(UUID userId) {
        users.byId(userId).orElseThrow(() -> ApiException.notFound("User"));
    }

    /** Up to {@code n} readable rows after {@code after}, newest first, from batches of {@value #BATCH}. */
    private static <T> Page<T> readable(int n, Page.Position after, Function<Page.Position, List<T>> batch,
                                        Predicate<T> mayRead, Function<T, String> cursorOf) {
        List<T> found = new ArrayList<>();
        Page.Position from = after;
        for (int round = 0; round < MAX_BATCHES; round++) {
            List<T> rows = batch.apply(from);
            for (T row : rows) {
                String cursor = Page.encode(cursorOf.apply(row));
                from = Page.position(cursor);
                if (mayRead.test(row) && found.add(row) && found.size() == n) {
                    return new Page<>(List.copyOf(found), cursor);
                }
            }
            if (rows.size() < BATCH) {
                return new Page<>(List.copyOf(found), null);
            }
        }
        // Many rows the caller may not read: a short page, and where to go on.
        return new Page<>(List.copyOf(found), Page.encode(from.at() + "|" + from.id()));
    }
}
