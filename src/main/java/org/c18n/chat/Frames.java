package org.c18n.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/** Server frames of the WebSocket protocol (docs/protocol.md), each encoded once however many receive it. */
final class Frames {
    static final int PROTOCOL = 1;

    private final ObjectMapper json;

    Frames(ObjectMapper json) {
        this.json = json;
    }

    /** {@code fields} are key, value pairs after the type. */
    String frame(String type, Object... fields) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            if (fields[i + 1] != null) {
                frame.put((String) fields[i], fields[i + 1]);
            }
        }
        return json.writeValueAsString(frame);
    }

    String message(Messages.MessageJson m, String clientMsgId) {
        return frame("message", "room", m.room(), "id", m.id(), "seq", m.seq(), "sender", m.sender(), "body", m.body(),
                "replyTo", m.replyTo(), "media", m.media().isEmpty() ? null : m.media(), "mentions",
                m.mentions().isEmpty() ? null : m.mentions(), "status", m.status(), "at", m.at(), "editedAt", m.editedAt(),
                "clientMsgId", clientMsgId);
    }

    String error(String code, String detail, String clientMsgId) {
        return frame("error", "code", code, "detail", detail, "clientMsgId", clientMsgId);
    }
}
