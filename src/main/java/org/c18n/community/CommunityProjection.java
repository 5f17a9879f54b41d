package org.c18n.community;

import java.sql.Timestamp;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.c18n.eventlog.Event;
import org.c18n.projection.EventApplier;
import org.c18n.eventlog.LogPosition;
import org.c18n.eventlog.Rejection;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Applies c18n.communities events to the communities, members, invites and user-group views. */
@Component
public class CommunityProjection implements EventApplier {
    @Override
    public Set<String> types() {
        return Set.of(CommunityEvents.CREATED, CommunityEvents.UPDATED, CommunityEvents.MEMBER_JOINED,
                CommunityEvents.MEMBER_LEFT, CommunityEvents.ROLE_CHANGED, CommunityEvents.INVITE_SENT,
                CommunityEvents.INVITE_ACCEPTED, CommunityEvents.INVITE_DECLINED, CommunityEvents.USERGROUP_CREATED,
                CommunityEvents.USERGROUP_MEMBER_ADDED, CommunityEvents.USERGROUP_MEMBER_REMOVED,
                CommunityEvents.NOTIFICATIONS_SET, CommunityEvents.MEMBER_RESTRICTED, CommunityEvents.ARCHIVED,
                CommunityEvents.UNARCHIVED, CommunityEvents.DELETED);
    }

    @Override
    public void apply(Event event, LogPosition position, JdbcClient db) {
        Timestamp at = Timestamp.from(event.at());
        switch (event.type()) {
            case CommunityEvents.CREATED -> created(db, event.data(CommunityEvents.Created.class), at);
            case CommunityEvents.UPDATED -> {
                var e = event.data(CommunityEvents.Updated.class);
                requireCommunity(db, e.communityId());
                db.sql("""
                        UPDATE communities SET description = COALESCE(?, description), tags = COALESCE(?, tags),
                               visibility = COALESCE(?, visibility), join_policy = COALESCE(?, join_policy),
                               post_approval = COALESCE(?, post_approval),
                               banned_words = COALESCE(?, banned_words), rules = COALESCE(?, rules), updated_at = ?
                        WHERE id = ?""")
                        .params(e.description(), e.tags() == null ? null : e.tags().toArray(String[]::new),
                                e.visibility(), e.joinPolicy(), e.postApproval(),
                                e.bannedWords() == null ? null : e.bannedWords().toArray(String[]::new), e.rules(), at,
                                e.communityId())
                        .update();
            }
            case CommunityEvents.MEMBER_JOINED -> {
                var e = event.data(CommunityEvents.MemberJoined.class);
                requireCommunity(db, e.communityId());
                if (role(db, e.communityId(), e.userId()) != null) {
                    throw new Rejection("already-member");
                }
                addMember(db, e.communityId(), e.userId(), "member", at);
            }
            case CommunityEvents.MEMBER_RESTRICTED -> {
                var e = event.data(CommunityEvents.MemberRestricted.class);
                requireCommunity(db, e.communityId());
                db.sql("""
                        INSERT INTO community_restrictions (community_id, user_id, kind, until, by_id, reason, at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (community_id, user_id) DO UPDATE
                          SET kind = excluded.kind, until = excluded.until, by_id = excluded.by_id,
                              reason = excluded.reason, at = excluded.at""")
                        .params(e.communityId(), e.userId(), e.kind(), e.until() == null ? null : Timestamp.from(e.until()),
                                e.by(), e.reason(), at)
                        .update();
            }
            case CommunityEvents.ARCHIVED -> {
                var e = event.data(CommunityEvents.Lifecycle.class);
                requireCommunity(db, e.communityId());
                if (db.sql("UPDATE communities SET archived_at = ? WHERE id = ? AND archived_at IS NULL")
                        .params(at, e.communityId()).update() == 0) {
                    throw new Rejection("already-archived");
                }
            }
            case CommunityEvents.UNARCHIVED -> {
                var e = event.data(CommunityEvents.Lifecycle.class);
                requireCommunity(db, e.communityId());
                if (db.sql("UPDATE communities SET archived_at = NULL WHERE id = ? AND archived_at IS NOT NULL")
                        .params(e.communityId()).update() == 0) {
                    throw new Rejection("not-archived");
                }
            }
            case CommunityEvents.DELETED -> {
                var e = event.data(CommunityEvents.Lifecycle.class);
                requireCommunity(db, e.communityId());
                db.sql("UPDATE communities SET deleted_at = ? WHERE id = ?").params(at, e.communityId()).update();
                // Without members it is in no one's home feed; its posts' reads find no (live) community.
                db.sql("DELETE FROM community_members WHERE community_id = ?").param(e.communityId()).update();
            }
            case CommunityEvents.NOTIFICATIONS_SET -> {
                var e = event.data(CommunityEvents.NotificationsSet.class);
                if (db.sql("UPDATE community_members SET muted = ? WHERE community_id = ? AND user_id = ?")
                        .params(e.muted(), e.communityId(), e.userId()).update() == 0) {
                    throw new Rejection("not-member");
                }
            }
            case CommunityEvents.MEMBER_LEFT -> {
                var e = event.data(CommunityEvents.MemberLeft.class);
                String role = role(db, e.communityId(), e.userId());
                if (role == null) {
                    throw new Rejection("not-member");
                }
                if (role.equals("owner")) {
                    throw new Rejection("owner-cannot-leave");
                }
                db.sql("DELETE FROM community_members WHERE community_id = ? AND user_id = ?")
                        .params(e.communityId(), e.userId()).update();
                db.sql("UPDATE communities SET member_count = member_count - 1 WHERE id = ?")
                        .param(e.communityId()).update();
                db.sql("""
                        DELETE FROM usergroup_members WHERE user_id = ?
                          AND usergroup_id IN (SELECT id FROM usergroups WHERE community_id = ?)""")
                        .params(e.userId(), e.communityId()).update();
            }
            case CommunityEvents.ROLE_CHANGED -> {
                var e = event.data(CommunityEvents.RoleChanged.class);
                String role = role(db, e.communityId(), e.userId());
                if (role == null) {
                    throw new Rejection("not-member");
                }
                if (role.equals("owner")) {
                    throw new Rejection("owner-role-fixed");
                }
                db.sql("UPDATE community_members SET role = ? WHERE community_id = ? AND user_id = ?")
                        .params(e.role(), e.communityId(), e.userId()).update();
            }
            case CommunityEvents.INVITE_SENT -> {
                var e = event.data(CommunityEvents.InviteSent.class);
                requireCommunity(db, e.communityId());
                if (role(db, e.communityId(), e.inviteeId()) != null) {
                    throw new Rejection("already-member");
                }
                if (db.sql("SELECT EXISTS (SELECT 1 FROM invites WHERE community_id = ? AND invitee_id = ? AND status = 'pending')")
                        .params(e.communityId(), e.inviteeId()).query(Boolean.class).single()) {
                    throw new Rejection("already-invited");
                }
                db.sql("""
                        INSERT INTO invites (id, community_id, inviter_id, invitee_id, status, created_at)
                        VALUES (?, ?, ?, ?, 'pending', ?)""")
                        .params(e.inviteId(), e.communityId(), e.inviterId(), e.inviteeId(), at).update();
            }
            case CommunityEvents.INVITE_ACCEPTED, CommunityEvents.INVITE_DECLINED -> {
                var e = event.data(CommunityEvents.InviteAnswered.class);
                boolean accepted = event.type().equals(CommunityEvents.INVITE_ACCEPTED);
                int answered = db.sql("""
                        UPDATE invites SET status = ?, responded_at = ?
                        WHERE id = ? AND invitee_id = ? AND status = 'pending'""")
                        .params(accepted ? "accepted" : "declined", at, e.inviteId(), e.inviteeId()).update();
                if (answered == 0) {
                    throw new Rejection("invite-closed");
                }
                if (accepted && role(db, e.communityId(), e.inviteeId()) == null) {
                    addMember(db, e.communityId(), e.inviteeId(), "member", at);
                }
            }
            case CommunityEvents.USERGROUP_CREATED -> {
                var e = event.data(CommunityEvents.UsergroupCreated.class);
                db.sql("INSERT INTO usergroups (id, community_id, name, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
                        .params(e.usergroupId(), e.communityId(), e.name(), e.createdBy(), at).update();
                Set<UUID> members = new LinkedHashSet<>();
                members.add(e.createdBy());
                members.addAll(e.memberIds());
                for (UUID member : members) {
                    db.sql("INSERT INTO usergroup_members (usergroup_id, user_id, added_at) VALUES (?, ?, ?)")
                            .params(e.usergroupId(), member, at).update();
                }
            }
            case CommunityEvents.USERGROUP_MEMBER_ADDED -> {
                var e = event.data(CommunityEvents.UsergroupMember.class);
                int added = db.sql("""
                        INSERT INTO usergroup_members (usergroup_id, user_id, added_at)
                        SELECT id, ?, ? FROM usergroups WHERE id = ? ON CONFLICT DO NOTHING""")
                        .params(e.userId(), at, e.usergroupId()).update();
                if (added == 0) {
                    throw new Rejection("already-member");
                }
            }
            case CommunityEvents.USERGROUP_MEMBER_REMOVED -> {
                var e = event.data(CommunityEvents.UsergroupMember.class);
                if (db.sql("DELETE FROM usergroup_members WHERE usergroup_id = ? AND user_id = ?")
                        .params(e.usergroupId(), e.userId()).update() == 0) {
                    throw new Rejection("not-member");
                }
            }
            default -> throw new IllegalArgumentException(event.type());
        }
    }

    private void created(JdbcClient db, CommunityEvents.Created e, Timestamp at) {
        if (db.sql("SELECT EXISTS (SELECT 1 FROM communities WHERE name_key = ?)").param(e.name().toLowerCase())
                .query(Boolean.class).single()) {
            throw new Rejection("name-taken");
        }
        db.sql("""
                INSERT INTO communities (id, name, name_key, description, tags, visibility, join_policy, owner_id,
                                         member_count, post_approval, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)""")
                .params(e.communityId(), e.name(), e.name().toLowerCase(), e.description(),
                        e.tags().toArray(String[]::new), e.visibility(), e.joinPolicy(), e.ownerId(),
                        Boolean.TRUE.equals(e.postApproval()), at, at)
                .update();
        addMember(db, e.communityId(), e.ownerId(), "owner", at);
    }

    private static void addMember(JdbcClient db, UUID communityId, UUID userId, String role, Timestamp at) {
        db.sql("INSERT INTO community_members (community_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)")
                .params(communityId, userId, role, at).update();
        db.sql("UPDATE communities SET member_count = member_count + 1 WHERE id = ?").param(communityId).update();
    }

    private static void requireCommunity(JdbcClient db, UUID communityId) {
        if (!db.sql("SELECT EXISTS (SELECT 1 FROM communities WHERE id = ? AND deleted_at IS NULL)").param(communityId)
                .query(Boolean.class).single()) {
            throw new Rejection("not-found");
        }
    }

    private static String role(JdbcClient db, UUID communityId, UUID userId) {
        return db.sql("SELECT role FROM community_members WHERE community_id = ? AND user_id = ?")
                .params(communityId, userId).query(String.class).optional().orElse(null);
    }

    private <T> T read(Event event, Class<T> type) {
        return event.data(type);
    }
}
