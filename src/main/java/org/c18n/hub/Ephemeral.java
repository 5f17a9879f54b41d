package org.c18n.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.c18n.infra.C18nProperties;
import org.c18n.infra.HubProperties;
import org.c18n.infra.PgListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Presence, and frames for a room on every node (typing): ephemeral, never stored, passed between
 * nodes through PostgreSQL {@code NOTIFY}. A user is online while any node holds a connection of
 * theirs; each node re-announces its users every {@code c18n.hub.presence-interval} (20 s), and a
 * node's word lapses after three intervals without one (a node that died does not keep its users
 * online). Who hears of a change of presence is the business of whoever listens
 * ({@link #onPresenceChange}).
 */
@Component
public class Ephemeral implements DisposableBean {
    static final String CHANNEL = "c18n_ephemeral";
    /** Users per heartbeat NOTIFY: 150 ids in JSON stay well inside NOTIFY's 8,000 bytes. */
    static final int PER_HEARTBEAT = 150;

    private final JdbcClient db;
    private final ObjectMapper json;
    private final Hub hub;
    private final String node;
    private final long intervalMillis;
    private final long startedAt = System.currentTimeMillis();
    private final List<BiConsumer<UUID, String>> listeners = new CopyOnWriteArrayList<>();
    /** user → node → (status, when announced). */
    private final Map<UUID, Map<String, Seen>> presence = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "c18n-presence");
        t.setDaemon(true);
        return t;
    });

    private record Seen(String status, long at) {}

    public Ephemeral(JdbcClient db, ObjectMapper json, Hub hub, PgListener listener, C18nProperties props,
                     HubProperties hubProps) {
        this.db = db;
        this.json = json;
        this.hub = hub;
        this.node = props.nodeIdentity();
        this.intervalMillis = hubProps.presenceInterval().toMillis();
        listener.subscribe(CHANNEL, this::received, () -> { });
        heartbeat.scheduleAtFixedRate(this::announceAll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** A frame from {@code sender} for everyone else in the room, on every node; small frames only (NOTIFY takes 8 KB). */
    public void toRoomOnEveryNode(UUID room, UUID sender, String frame) {
        publish(Map.of("kind", "room", "room", room, "user", sender, "frame", frame));
    }

    /** {@code listener} hears of each user whose status changed, with the new one (online, away, offline). */
    public void onPresenceChange(BiConsumer<UUID, String> listener) {
        listeners.add(listener);
    }

    /** The user's status as this node reports it: online, away, or offline (no connection here any more). */
    public void presence(UUID user, String status) {
        publish(Map.of("kind", "presence", "user", user, "status", status, "node", node));
    }

    /**
     * Whether this node has been up for two heartbeat rounds (and 5 s), so that every other node's users have been
     * announced to it: before that, someone connected elsewhere looks offline here.
     */
    public boolean heardEveryNode() {
        return System.currentTimeMillis() - startedAt > 2 * intervalMillis + 5_000;
    }

    /** Online, away or offline, over every node. */
    public String statusOf(UUID user) {
        long now = System.currentTimeMillis();
        String best = "offline";
        for (Seen seen : presence.getOrDefault(user, Map.of()).values()) {
            if (now - seen.at() > 3 * intervalMillis) { // a node's word lapses after three silent intervals
                continue;
            }
            if (seen.status().equals("online")) {
                return "online";
            }
            if (seen.status().equals("away")) {
                best = "away";
            }
        }
        return best;
    }

    private void publish(Map<String, Object> signal) {
        db.sql("SELECT pg_notify('" + CHANNEL + "', ?)").param(json.writeValueAsString(signal)).query().singleValue();
    }

    private void received(String payload) {
        JsonNode signal = json.readTree(payload);
        if (signal.get("kind").asString().equals("room")) {
            UUID user = UUID.fromString(signal.get("user").asString());
            hub.toRoom(UUID.fromString(signal.get("room").asString()), signal.get("frame").asString(), user);
            return;
        }
        String from = signal.get("node").asString();
        String status = signal.get("status").asString();
        if (signal.has("users")) {
            for (JsonNode user : signal.get("users")) {
                seen(UUID.fromString(user.asString()), from, status);
            }
        } else {
            seen(UUID.fromString(signal.get("user").asString()), from, status);
        }
    }

    private void seen(UUID user, String node, String status) {
        String before = statusOf(user);
        Map<String, Seen> nodes = presence.computeIfAbsent(user, k -> new ConcurrentHashMap<>());
        if (status.equals("offline")) {
            nodes.remove(node);
        } else {
            nodes.put(node, new Seen(status, System.currentTimeMillis()));
        }
        String after = statusOf(user);
        if (!after.equals(before)) {
            listeners.forEach(listener -> listener.accept(user, after));
        }
    }

    /**
     * The heartbeat: this node's users with the status it last reported for each (online unless
     * they said away), {@value #PER_HEARTBEAT} to a NOTIFY (one a user would be 2,500 a second at
     * 50,000 users).
     */
    private void announceAll() {
        try {
            Map<String, List<UUID>> byStatus = new TreeMap<>();
            for (UUID user : hub.onlineUsers()) {
                Seen reported = presence.getOrDefault(user, Map.of()).get(node);
                String status = reported != null && reported.status().equals("away") ? "away" : "online";
                byStatus.computeIfAbsent(status, k -> new ArrayList<>()).add(user);
            }
            byStatus.forEach((status, users) -> {
                for (int from = 0; from < users.size(); from += PER_HEARTBEAT) {
                    publish(Map.of("kind", "presence", "users", users.subList(from, Math.min(users.size(), from + PER_HEARTBEAT)),
                            "status", status, "node", node));
                }
            });
        } catch (RuntimeException ignored) {
            // the next round tries again
        }
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
    }
}
