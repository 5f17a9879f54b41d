package org.c18n.search;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

/**
 * One searchable thing as the index holds it. Everything needed to rebuild the document is
 * stored, so an edit event (which carries only what changed) can be applied to what is there.
 *
 * <p>{@code title} is a post's title, a community's name or a user's display name; {@code name}
 * is a username or a community's name (the words suggestions match as you type); {@code body}
 * is the text; comments and messages have no title.
 */
public record SearchDoc(String type, UUID id, String title, String name, String body, List<String> tags,
                        UUID community, UUID usergroup, UUID room, UUID author, UUID post, Instant at, boolean pending) {
    public static final String USERS = "users";
    public static final String COMMUNITIES = "communities";
    public static final String POSTS = "posts";
    public static final String COMMENTS = "comments";
    public static final String MESSAGES = "messages";
    public static final List<String> TYPES = List.of(USERS, COMMUNITIES, POSTS, COMMENTS, MESSAGES);

    /** Marks a post or comment that is not in a user-group (so that "in one of my groups or none" is one query). */
    static final String NO_USERGROUP = "none";

    static final String F_ID = "id";
    static final String F_TYPE = "type";
    static final String F_TITLE = "title";
    static final String F_NAME = "name";
    static final String F_BODY = "body";
    static final String F_TAGS = "tags";
    static final String F_TAG = "tag";
    static final String F_SUGGEST = "suggest";
    /** The beginnings of the words of title, name and tags, or of the text when there is no title (see SearchIndex.MAX_PREFIX). */
    static final String F_PREFIXES = "prefixes";
    static final String F_COMMUNITY = "community";
    static final String F_USERGROUP = "usergroup";
    static final String F_ROOM = "room";
    static final String F_AUTHOR = "author";
    static final String F_POST = "post";
    static final String F_TIME = "time";
    static final String F_AT = "at";
    static final String F_PENDING = "pending";

    /** Whether a document has a word starting so; how often is left out (it would double the index for little). */
    private static final FieldType PREFIXES = prefixes();

    private static FieldType prefixes() {
        FieldType type = new FieldType();
        type.setTokenized(true);
        type.setIndexOptions(IndexOptions.DOCS);
        type.freeze();
        return type;
    }

    /**
     * Title and text keep where each word lies (offsets in the postings): the highlighter marks a hit
     * from them instead of analysing its text again into an index of its own.
     */
    private static final FieldType MARKABLE_TEXT = markableText();

    private static FieldType markableText() {
        FieldType type = new FieldType(TextField.TYPE_STORED);
        type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        type.freeze();
        return type;
    }

    public SearchDoc {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    Document toDocument() {
        Document doc = new Document();
        doc.add(new StringField(F_ID, id.toString(), Field.Store.YES));
        doc.add(new StringField(F_TYPE, type, Field.Store.YES));
        doc.add(new SortedDocValuesField(F_TYPE, new BytesRef(type)));
        text(doc, F_TITLE, title, MARKABLE_TEXT);
        text(doc, F_NAME, name, TextField.TYPE_STORED);
        text(doc, F_BODY, body, MARKABLE_TEXT);
        for (String tag : tags) {
            doc.add(new TextField(F_TAGS, tag, Field.Store.YES));
            doc.add(new StringField(F_TAG, tag.toLowerCase(Locale.ROOT), Field.Store.NO));
        }
        // Word beginnings of what names the item (title, name, tags), or of its text when it has no title
        // (comments, messages, untitled posts): every body's would cost the indexer three times as much.
        String headline = headline();
        if (!headline.isBlank()) {
            doc.add(new Field(F_PREFIXES, headline, PREFIXES));
        }
        if (type.equals(USERS) || type.equals(COMMUNITIES)) {
            doc.add(new TextField(F_SUGGEST, (name == null ? "" : name) + " " + (title == null ? "" : title), Field.Store.NO));
        }
        if (community != null) {
            doc.add(new StringField(F_COMMUNITY, community.toString(), Field.Store.YES));
            doc.add(new SortedDocValuesField(F_COMMUNITY, new BytesRef(community.toString())));
        }
        if (type.equals(POSTS) || type.equals(COMMENTS)) {
            doc.add(new StringField(F_USERGROUP, usergroup == null ? NO_USERGROUP : usergroup.toString(), Field.Store.YES));
        }
        keyword(doc, F_ROOM, room);
        keyword(doc, F_AUTHOR, author);
        keyword(doc, F_POST, post);
        if (at != null) {
            long millis = at.toEpochMilli();
            doc.add(new StoredField(F_AT, millis));
            // Only what was said has a time to filter, sort and favour by; people and communities do not.
            if (!type.equals(USERS) && !type.equals(COMMUNITIES)) {
                doc.add(new LongPoint(F_TIME, millis));
                doc.add(new NumericDocValuesField(F_TIME, millis));
            }
        }
        if (pending) {
            doc.add(new StringField(F_PENDING, "true", Field.Store.YES));
        }
        return doc;
    }

    /** What names the item (title, name, tags), or its text when it has no title: where prefixes are looked for. */
    String headline() {
        return String.join(" ", java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(title, name, title == null && name == null ? body : null), tags.stream())
                .filter(java.util.Objects::nonNull).toList());
    }

    static SearchDoc fromDocument(Document doc) {
        IndexableField time = doc.getField(F_AT);
        String usergroup = doc.get(F_USERGROUP);
        return new SearchDoc(doc.get(F_TYPE), UUID.fromString(doc.get(F_ID)), doc.get(F_TITLE), doc.get(F_NAME),
                doc.get(F_BODY), List.of(doc.getValues(F_TAGS)), uuid(doc.get(F_COMMUNITY)),
                usergroup == null || usergroup.equals(NO_USERGROUP) ? null : UUID.fromString(usergroup),
                uuid(doc.get(F_ROOM)), uuid(doc.get(F_AUTHOR)), uuid(doc.get(F_POST)),
                time == null ? null : Instant.ofEpochMilli(time.numericValue().longValue()), doc.get(F_PENDING) != null);
    }

    SearchDoc withText(String title, String body, List<String> tags) {
        return new SearchDoc(type, id, title, name, body, tags, community, usergroup, room, author, post, at, pending);
    }

    SearchDoc withPending(boolean pending) {
        return new SearchDoc(type, id, title, name, body, tags, community, usergroup, room, author, post, at, pending);
    }

    private static void text(Document doc, String field, String value, FieldType type) {
        if (value != null && !value.isBlank()) {
            doc.add(new Field(field, value, type));
        }
    }

    private static void keyword(Document doc, String field, UUID value) {
        if (value != null) {
            doc.add(new StringField(field, value.toString(), Field.Store.YES));
        }
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }
}
