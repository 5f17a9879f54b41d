package org.c18n.chat;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.c18n.infra.C18nProperties;
import org.c18n.infra.PgListener;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Typing and presence: ephemeral, never stored, passed between nodes through PostgreSQL
 * {@code NOTIFY}. A user is online while any node holds a connection of theirs; each node
 * re-announces its users every 20 s, and a node's word lapses after 60 s without one (a node
 * that died does not keep its users online).
 */
@Component
public class Ephemeral implements DisposableBean {
    static final String CHANNEL = "c18n_ephemeral";
    private static final long LAPSE_MS = 60_000;

    private final JdbcClient db;
    private final ObjectMapper json;
    private final Gateway gateway;
    private final Rooms rooms;
    private final String node;
    /** user → node → (status, when announced). */
    private final Map<UUID, Map<String, Seen>> presence = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "c18n-presence");
        t.setDaemon(true);
        return t;
    });

    private record Seen(String status, long at) {}

    public Ephemeral(JdbcClient db, ObjectMapper json, Gateway gateway, Rooms rooms, PgListener listener,
                     C18nProperties props) {
        this.db = db;
        this.json = json;
        this.gateway = gateway;
        this.rooms = rooms;
        this.node = props.nodeIdentity();
        listener.subscribe(CHANNEL, this::received, () -> { });
        heartbeat.scheduleAtFixedRate(this::announceAll, 20, 20, TimeUnit.SECONDS);
    }

    void typing(UUID room, UUID user, String username) {
        publish(Map.of("kind", "typing", "room", room, "user", user, "username", username));
    }

    void presence(UUID user, String status) {
        publish(Map.of("kind", "presence", "user", user, "status", status, "node", node));
    }

    String statusOf(UUID user) {
        long now = System.currentTimeMillis();
        String best = "offline";
        for (Seen seen : presence.getOrDefault(user, Map.of()).values()) {
            if (now - seen.at() > LAPSE_MS) {
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
        UUID user = UUID.fromString(signal.get("user").asString());
        if (signal.get("kind").asString().equals("typing")) {
            UUID room = UUID.fromString(signal.get("room").asString());
            gateway.broadcast(room, gateway.frames.frame("typing", "room", room, "user", user, "username",
                    signal.get("username").asString()), user);
            return;
        }
        String before = statusOf(user);
        String status = signal.get("status").asString();
        Map<String, Seen> nodes = presence.computeIfAbsent(user, k -> new ConcurrentHashMap<>());
        if (status.equals("offline")) {
            nodes.remove(signal.get("node").asString());
        } else {
            nodes.put(signal.get("node").asString(), new Seen(status, System.currentTimeMillis()));
        }
        String after = statusOf(user);
        if (!after.equals(before)) {
            tellRoommates(user, after);
        }
    }

    /** Everyone on this node who shares a room with the user hears it once. */
    private void tellRoommates(UUID user, String status) {
        String frame = gateway.frames.frame("presence", "user", user, "status", status);
        Set<Connection> told = new HashSet<>();
        for (UUID room : rooms.roomIdsOf(user)) {
            for (Connection c : gateway.connectionsIn(room)) {
                if (!c.userId.equals(user) && told.add(c)) {
                    c.send(frame);
                }
            }
        }
    }

    private void announceAll() {
        try {
            for (UUID user : gateway.onlineUsers()) {
                presence(user, "online");
            }
        } catch (RuntimeException ignored) {
            // the next round tries again
        }
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
    }
}
