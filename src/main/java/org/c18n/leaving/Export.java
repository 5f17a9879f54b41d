package org.c18n.leaving;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.c18n.media.MediaStore;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Everything a person wrote, as a zip streamed to them: one JSON file per kind of thing (read
 * from the views, row by row) and the files they uploaded. One export at a time per account.
 */
@Component
public class Export {
    /** Each file of the zip and the rows it holds; {@code ?} is the person's id. */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("profile.json", """
                SELECT id, username, email, display_name, bio, interests, role, oidc_issuer, created_at, updated_at
                FROM users WHERE id = ?""");
        FILES.put("posts.json", """
                SELECT id, community_id, usergroup_id, title, body, tags, media_ids, status, shared_from, created_at, edited_at
                FROM posts WHERE author_id = ? AND status <> 'deleted' ORDER BY created_at, id""");
        FILES.put("comments.json", """
                SELECT id, post_id, parent_id, body, created_at, edited_at
                FROM comments WHERE author_id = ? AND status <> 'deleted' ORDER BY created_at, id""");
        FILES.put("reactions.json", """
                SELECT target_id, kind, at FROM reactions WHERE user_id = ? ORDER BY at, target_id""");
        FILES.put("emoji-reactions.json", """
                SELECT target_id, emoji, at FROM emoji_reactions WHERE user_id = ? ORDER BY at, target_id, emoji""");
        FILES.put("messages.json", """
                SELECT id, room_id, body, reply_to, media_ids, created_at, edited_at
                FROM messages WHERE sender_id = ? AND status <> 'deleted' ORDER BY created_at, id""");
        FILES.put("communities.json", """
                SELECT c.id, c.name, m.* FROM community_members m JOIN communities c ON c.id = m.community_id
                WHERE m.user_id = ? ORDER BY m.joined_at, c.id""");
        FILES.put("groups.json", """
                SELECT g.id, g.name, g.community_id, m.added_at FROM usergroup_members m JOIN usergroups g ON g.id = m.usergroup_id
                WHERE m.user_id = ? ORDER BY m.added_at, g.id""");
        FILES.put("media.json", """
                SELECT id, content_type, kind, size, width, height, created_at,
                       'media/' || id || '.' || split_part(content_type, '/', 2) AS file
                FROM media WHERE owner_id = ? ORDER BY created_at, id""");
    }

    private final JdbcClient db;
    private final MediaStore files;
    private final ObjectMapper json;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();

    public Export(JdbcClient db, MediaStore files, ObjectMapper json) {
        this.db = db;
        this.files = files;
        this.json = json;
    }

    /** Claims the one export of {@code userId}: false while another runs. */
    public boolean start(UUID userId) {
        return running.add(userId);
    }

    public void finish(UUID userId) {
        running.remove(userId);
    }

    /** Writes the zip to {@code out} (not closed), entry by entry, never holding it whole. */
    public void write(UUID userId, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        for (var file : FILES.entrySet()) {
            zip.putNextEntry(new ZipEntry(file.getKey()));
            boolean single = file.getKey().equals("profile.json");
            boolean[] first = {true};
            zip.write(single ? new byte[0] : "[\n".getBytes(StandardCharsets.UTF_8));
            db.sql(file.getValue()).param(userId).query((ResultSet rs) -> {
                try {
                    zip.write(first[0] ? new byte[0] : ",\n".getBytes(StandardCharsets.UTF_8));
                    zip.write(json.writeValueAsBytes(row(rs)));
                    first[0] = false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            zip.write(single ? "\n".getBytes(StandardCharsets.UTF_8) : "\n]\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        db.sql("SELECT id, sha256, content_type FROM media WHERE owner_id = ? ORDER BY created_at, id").param(userId)
                .query((ResultSet rs) -> {
                    try {
                        var file = files.original(rs.getString(2));
                        if (file.isEmpty()) {
                            return;
                        }
                        zip.putNextEntry(new ZipEntry("media/" + rs.getObject(1, UUID.class) + "."
                                + rs.getString(3).substring(rs.getString(3).indexOf('/') + 1)));
                        try (var in = files.open(file.get(), 0, file.get().size())) {
                            in.transferTo(zip);
                        }
                        zip.closeEntry();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
        zip.finish();
    }

    /** A row as JSON-ready values: times as ISO-8601, arrays as lists, ids as text. */
    private static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.putIfAbsent(camel(meta.getColumnLabel(i)), plain(rs.getObject(i)));
        }
        return row;
    }

    private static Object plain(Object value) throws SQLException {
        if (value instanceof Timestamp time) {
            return time.toInstant().toString();
        }
        if (value instanceof Array array) {
            return Arrays.stream((Object[]) array.getArray()).map(Object::toString).toList();
        }
        if (value instanceof UUID id) {
            return id.toString();
        }
        return value;
    }

    private static String camel(String column) {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
