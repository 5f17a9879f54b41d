package org.c18n.search;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.c18n.chat.ChatEvents;
import org.c18n.chat.Rooms;
import org.c18n.community.CommunityEvents;
import org.c18n.eventlog.Event;
import org.c18n.web.CurrentUser;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What each caller may see, as a Lucene filter built once and kept until the indexer reads an
 * event that changes it ({@link KeptUntilChanged}): a membership of theirs (community, group,
 * direct conversation) drops their filter, a community created or updated (its visibility) drops
 * everyone's.
 *
 * <p>The same filter object per caller also lets Lucene's query cache keep its matches per segment.
 */
@Component
public class AccessFilters {
    private record Caller(UUID id, boolean admin) {}

    private final JdbcClient db;
    private final Rooms rooms;
    /** Callers whose filters are kept at most: a burst of new callers starts the cache over. */
    private final KeptUntilChanged<Caller, Query> filters = new KeptUntilChanged<>(50_000);

    public AccessFilters(JdbcClient db, Rooms rooms) {
        this.db = db;
        this.rooms = rooms;
    }

    Query of(CurrentUser me) {
        Caller caller = new Caller(me.id(), me.admin());
        Query kept = filters.get(caller);
        if (kept != null) {
            return kept;
        }
        KeptUntilChanged.Reading reading = filters.reading();
        Query built = build(me);
        filters.keep(reading, caller, built);
        return built;
    }

    /** Drops the filters the event changes; the indexer calls it for every event it reads. */
    void changedBy(Event event) {
        switch (event.type()) {
            case CommunityEvents.CREATED, CommunityEvents.UPDATED, CommunityEvents.DELETED -> filters.forgetAll();
            case CommunityEvents.MEMBER_JOINED -> forget(event.data(CommunityEvents.MemberJoined.class).userId());
            case CommunityEvents.MEMBER_LEFT -> forget(event.data(CommunityEvents.MemberLeft.class).userId());
            case CommunityEvents.MEMBER_RESTRICTED -> forget(event.data(CommunityEvents.MemberRestricted.class).userId());
            case CommunityEvents.INVITE_ACCEPTED -> forget(event.data(CommunityEvents.InviteAnswered.class).inviteeId());
            case CommunityEvents.USERGROUP_CREATED -> {
                var e = event.data(CommunityEvents.UsergroupCreated.class);
                forget(e.createdBy());
                if (e.memberIds() != null) {
                    e.memberIds().forEach(this::forget);
                }
            }
            case CommunityEvents.USERGROUP_MEMBER_ADDED, CommunityEvents.USERGROUP_MEMBER_REMOVED ->
                    forget(event.data(CommunityEvents.UsergroupMember.class).userId());
            case ChatEvents.DIRECT_OPENED -> {
                var e = event.data(ChatEvents.DirectOpened.class);
                forget(e.userA());
                forget(e.userB());
            }
            default -> {
                // nothing that decides who sees what
            }
        }
    }

    private void forget(UUID user) {
        if (user != null) {
            filters.forget(new Caller(user, false));
            filters.forget(new Caller(user, true));
        }
    }

    /**
     * Every user; communities except deleted ones and private ones the caller is not in; posts and comments outside
     * such communities, in no group or one of theirs, not pending unless theirs; messages of their rooms.
     */
    private Query build(CurrentUser me) {
        Rights rights = rights(me);
        List<BytesRef> hidden = rights.hiddenCommunities().stream().map(id -> new BytesRef(id.toString())).toList();
        List<BytesRef> myRooms = rights.rooms().stream().map(id -> new BytesRef(id.toString())).toList();
        List<BytesRef> groupsOrNone = new ArrayList<>(myRooms);
        groupsOrNone.add(new BytesRef(SearchDoc.NO_USERGROUP));

        BooleanQuery.Builder communities = new BooleanQuery.Builder().add(type(SearchDoc.COMMUNITIES), Occur.FILTER);
        BooleanQuery.Builder content = new BooleanQuery.Builder()
                .add(new TermInSetQuery(SearchDoc.F_TYPE, List.of(new BytesRef(SearchDoc.POSTS), new BytesRef(SearchDoc.COMMENTS))), Occur.FILTER)
                .add(new TermInSetQuery(SearchDoc.F_USERGROUP, groupsOrNone), Occur.FILTER)
                .add(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(SearchDoc.F_PENDING, "true")), Occur.FILTER)
                        .add(new TermQuery(new Term(SearchDoc.F_AUTHOR, me.id().toString())), Occur.MUST_NOT)
                        .build(), Occur.MUST_NOT);
        if (!hidden.isEmpty()) {
            communities.add(new TermInSetQuery(SearchDoc.F_ID, hidden), Occur.MUST_NOT);
            content.add(new TermInSetQuery(SearchDoc.F_COMMUNITY, hidden), Occur.MUST_NOT);
        }
        BooleanQuery.Builder access = new BooleanQuery.Builder()
                .add(type(SearchDoc.USERS), Occur.SHOULD)
                .add(communities.build(), Occur.SHOULD)
                .add(content.build(), Occur.SHOULD);
        if (!myRooms.isEmpty()) {
            access.add(new BooleanQuery.Builder()
                    .add(type(SearchDoc.MESSAGES), Occur.FILTER)
                    .add(new TermInSetQuery(SearchDoc.F_ROOM, myRooms), Occur.FILTER)
                    .build(), Occur.SHOULD);
        }
        return access.build();
    }

    /**
     * What the rules above need to know of a caller: the private communities they are not in (none
     * for an admin) and the rooms (groups, direct conversations) they are in.
     */
    record Rights(UUID user, List<UUID> hiddenCommunities, List<UUID> rooms) {}

    Rights rights(CurrentUser me) {
        List<UUID> hidden = db.sql("""
                        SELECT c.id FROM communities c
                        WHERE c.deleted_at IS NOT NULL
                           OR (NOT ? AND c.visibility = 'private'
                               AND NOT EXISTS (SELECT 1 FROM community_members m WHERE m.community_id = c.id AND m.user_id = ?))""")
                .params(me.admin(), me.id()).query(UUID.class).list();
        return new Rights(me.id(), hidden, List.copyOf(rooms.roomIdsOf(me.id())));
    }

    static Query type(String type) {
        return new TermQuery(new Term(SearchDoc.F_TYPE, type));
    }
}
