package org.c18n.hub;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.c18n.infra.C18nProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The /ws endpoint on the servlet container: its sessions as the hub's connections (docs/protocol.md).
 * Spring's WebSocket types stay here and inside {@link Connection}, so that the hub's API does
 * not change if the sockets move to a listener of their own.
 */
@Component
class HubSocket extends TextWebSocketHandler {
    static final CloseStatus TOO_MANY_SOCKETS = new CloseStatus(4030, "too many connections");

    private final Hub hub;
    private final Ephemeral ephemeral;
    private final Frames frames;
    private final int connectionQueue;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    HubSocket(Hub hub, Ephemeral ephemeral, Frames frames, C18nProperties props) {
        this.hub = hub;
        this.ephemeral = ephemeral;
        this.frames = frames;
        this.connectionQueue = props.chat().connectionQueue();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
        UUID userId = (UUID) session.getAttributes().get(TicketHandshake.USER);
        if (hub.full(userId)) {
            session.close(TOO_MANY_SOCKETS);
            return;
        }
        Connection connection = new Connection(userId, frames, session, connectionQueue, hub.writers());
        connections.put(session.getId(), connection);
        if (hub.open(connection)) {
            ephemeral.presence(userId, "online");
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connections.get(session.getId());
        if (connection != null) {
            hub.receive(connection, message.getPayload());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connections.remove(session.getId());
        if (connection != null && hub.close(connection)) {
            ephemeral.presence(connection.userId(), "offline");
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        Connection connection = connections.get(session.getId());
        if (connection != null) {
            connection.closeQuietly(CloseStatus.SERVER_ERROR);
        }
    }
}
