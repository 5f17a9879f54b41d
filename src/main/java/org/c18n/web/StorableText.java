package org.c18n.web;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What text the stores can hold. PostgreSQL refuses U+0000 in text and jsonb, and an event the
 * projector cannot store stalls the log, so the edge refuses such text before it becomes an
 * event: C0 controls other than tab, line feed and carriage return, Unicode non-characters,
 * lone surrogates, and strings longer than any field allows.
 */
public final class StorableText {
    /** Longer than any field of the API allows (the longest, a post body, defaults to 20,000). */
    public static final int MAX_LENGTH = 100_000;

    /** A record's components, looked up once per class: reflection's lookup is costly on every request. */
    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            for (RecordComponent component : components) {
                component.getAccessor().setAccessible(true);
            }
            return components;
        }
    };

    private StorableText() {}

    /** Why {@code text} cannot be stored, or null when it can. */
    public static String problem(String text) {
        if (text.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, text.charAt(++i));
                    if ((cp & 0xFFFE) == 0xFFFE) {
                        return "contains the non-character " + codePoint(cp);
                    }
                    continue;
                }
                return "contains a lone surrogate " + codePoint(c);
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone surrogate " + codePoint(c);
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return "contains the control character " + codePoint(c);
            }
            if ((c >= 0xFDD0 && c <= 0xFDEF) || c == 0xFFFE || c == 0xFFFF) {
                return "contains the non-character " + codePoint(c);
            }
        }
        return null;
    }

    /**
     * Checks every string in a request body (records, collections, maps, JSON trees), and that no
     * list holds null, naming the first bad field.
     */
    public static void check(Object value, String field) {
        if (value instanceof String text) {
            refuse(field, problem(text));
        } else if (value instanceof JsonNode node) {
            checkTree(node, field);
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                // A null in a list is nobody's meaning, and the log's readers assume there is none.
                if (item == null) {
                    throw new Unstorable(field + "[" + i + "]", "must not be null");
                }
                check(item, field + "[" + i++ + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                check(key, field);
                check(item, join(field, String.valueOf(key)));
            });
        } else if (value instanceof Object[] items) {
            for (int i = 0; i < items.length; i++) {
                check(items[i], field + "[" + i + "]");
            }
        } else if (value instanceof Record record) {
            for (RecordComponent component : COMPONENTS.get(record.getClass())) {
                try {
                    check(component.getAccessor().invoke(record), join(field, component.getName()));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static void checkTree(JsonNode node, String field) {
        if (node.isString()) {
            refuse(field, problem(node.asString()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkTree(node.get(i), field + "[" + i + "]");
            }
        } else if (node.isObject()) {
            for (var entry : node.properties()) {
                refuse(field, problem(entry.getKey()));
                checkTree(entry.getValue(), join(field, entry.getKey()));
            }
        }
    }

    private static void refuse(String field, String problem) {
        if (problem != null) {
            throw new Unstorable(field.isEmpty() ? "body" : field, problem);
        }
    }

    private static String join(String field, String name) {
        return field.isEmpty() ? name : field + "." + name;
    }

    static String codePoint(int cp) {
        return String.format("U+%04X", cp);
    }

    /** A field, parameter or path holding text the stores cannot hold. */
    public static class Unstorable extends RuntimeException {
        private final String field;

        public Unstorable(String field, String problem) {
            super(problem, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
