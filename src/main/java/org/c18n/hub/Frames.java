package org.c18n.hub;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Server frames of the WebSocket protocol (docs/protocol.md), each encoded once however many receive it. */
@Component
public class Frames {
    public static final int PROTOCOL = 1;

    private final ObjectMapper json;

    public Frames(ObjectMapper json) {
        this.json = json;
    }

    /** {@code fields} are key, value pairs after the type; null values are left out. */
    public String frame(String type, Object... fields) {
        Map<String, Object> frame = new LinkedHashMap<>();
        for (int i = 0; i + 1 < fields.length; i += 2) {
            frame.put((String) fields[i], fields[i + 1]);
        }
        return frame(type, frame);
    }

    /** The type, then {@code fields} in their order; null values are left out. */
    public String frame(String type, Map<String, Object> fields) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", type);
        fields.forEach((key, value) -> {
            if (value != null) {
                frame.put(key, value);
            }
        });
        return json.writeValueAsString(frame);
    }

    /** A frame as it goes on the wire: encoded once, however many connections it is for. */
    static byte[] utf8(String frame) {
        return frame.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public String error(String code, String detail, String clientMsgId) {
        return frame("error", "code", code, "detail", detail, "clientMsgId", clientMsgId);
    }
}
