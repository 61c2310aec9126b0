package dev.simmer.examples;

import java.util.Collection;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Python's {@code str} and {@code repr} for the values the examples print, so that
 * {@code print(results)} shows {@code ['file1', 'file2', 'file3']} as the Python program does.
 *
 * <pre>{@code
 * Py.repr(List.of("User 1", "User 2"))   // ['User 1', 'User 2']
 * Py.repr(Map.of("data", "example"))     // {'data': 'example'}
 * }</pre>
 *
 * <p>Thread-safe (stateless).
 */
public final class Py {
    private Py() {
    }

    /** Python's {@code str(value)}: a string unchanged, anything else as {@link #repr}. */
    public static String str(Object value) {
        return value instanceof CharSequence s ? s.toString() : repr(value);
    }

    /**
     * Python's {@code repr(value)} for strings, lists (any collection), maps, booleans,
     * {@code null} ({@code None}) and numbers.
     */
    public static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof CharSequence s) {
            return quote(s.toString());
        }
        if (value instanceof Collection<?> items) {
            StringJoiner list = new StringJoiner(", ", "[", "]");
            items.forEach(item -> list.add(repr(item)));
            return list.toString();
        }
        if (value instanceof Map<?, ?> map) {
            StringJoiner dict = new StringJoiner(", ", "{", "}");
            map.forEach((k, v) -> dict.add(repr(k) + ": " + repr(v)));
            return dict.toString();
        }
        return value.toString();
    }

    /** Quotes as Python does: single quotes, unless the text has a ' and no ". */
    private static String quote(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder(s.length() + 2).append(q);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c == q) {
                        b.append('\\');
                    }
                    b.append(c);
                }
            }
        }
        return b.append(q).toString();
    }
}
