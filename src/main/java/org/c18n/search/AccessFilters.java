package org.c18n.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * event that changes it: a membership of theirs (community, group, direct conversation) drops
 * their filter, a community created or updated (its visibility) drops everyone's. The indexer
 * reads those events after the projector has applied them, so a filter built afterwards sees the
 * new memberships; one being built while they change is used once and not kept. A filter is
 * rebuilt after 30 s in any case, should the indexer lag behind (catching up after a start).
 *
 * <p>The same filter object per caller also lets Lucene's query cache keep its matches per segment.
 */
@Component
public class AccessFilters {
    /** Callers whose filters are kept at most; beyond it the cache starts over (a burst of new callers). */
    private static final int MAX_CALLERS = 50_000;

    /** A filter is rebuilt after this long even without an event: the indexer may lag (catching up after a start). */
    private static final long MAX_AGE_NANOS = 30_000_000_000L;

    private record Caller(UUID id, boolean admin) {}

    private record Kept(Query filter, long builtAt) {}

    private final JdbcClient db;
    private final Rooms rooms;
    private final Map<Caller, Kept> filters = new ConcurrentHashMap<>();
    /** Raised by every change, so that a filter built across a change is not kept. */
    private final AtomicLong changes = new AtomicLong();

    public AccessFilters(JdbcClient db, Rooms rooms) {
        this.db = db;
        this.rooms = rooms;
    }

    Query of(CurrentUser me) {
        Caller caller = new Caller(me.id(), me.admin());
        Kept kept = filters.get(caller);
        long now = System.nanoTime();
        if (kept != null && now - kept.builtAt() < MAX_AGE_NANOS) {
            return kept.filter();
        }
        long before = changes.get();
        Kept built = new Kept(build(me), now);
        if (filters.size() >= MAX_CALLERS) {
            filters.clear();
        }
        filters.put(caller, built);
        if (changes.get() != before) {
            filters.remove(caller, built);
        }
        return built.filter();
    }

    /** Drops the filters the event changes; the indexer calls it for every event it reads. */
    void changedBy(Event event) {
        switch (event.type()) {
            case CommunityEvents.CREATED, CommunityEvents.UPDATED, CommunityEvents.DELETED -> forgetAll();
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
            changes.incrementAndGet();
            filters.remove(new Caller(user, false));
            filters.remove(new Caller(user, true));
        }
    }

    private void forgetAll() {
        changes.incrementAndGet();
        filters.clear();
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
