package org.c18n.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    /**
     * A frame as it goes on the wire, WebSocket header and all (a server's frames are not masked):
     * encoded once, however many connections it is for. Each connection writes a duplicate of it;
     * the memory is the JDK's, freed when the last reference is gone, so no count is kept per recipient.
     */
    static ByteBuf wire(String frame) {
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        int length = utf8.length;
        ByteBuffer bytes = ByteBuffer.allocateDirect((length < 126 ? 2 : length < 65_536 ? 4 : 10) + length);
        bytes.put((byte) 0x81); // FIN, text
        if (length < 126) {
            bytes.put((byte) length);
        } else if (length < 65_536) {
            bytes.put((byte) 126).putShort((short) length);
        } else {
            bytes.put((byte) 127).putLong(length);
        }
        bytes.put(utf8).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    }

    public String error(String code, String detail, String clientMsgId) {
        return frame("error", "code", code, "detail", detail, "clientMsgId", clientMsgId);
    }
}
