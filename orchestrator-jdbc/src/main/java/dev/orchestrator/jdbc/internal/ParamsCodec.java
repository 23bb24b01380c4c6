package dev.orchestrator.jdbc.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run parameters as stored in {@code params_json}: a JSON object whose values are all strings,
 * keys in sorted order. Only this store reads the column, so this is the whole grammar it needs.
 */
final class ParamsCodec {

    private ParamsCodec() {
    }

    /** {@code params} as a JSON object of strings, keys sorted. */
    static String encode(Map<String, String> params) {
        StringBuilder json = new StringBuilder(16 + params.size() * 16).append('{');
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            quote(json, e.getKey()).append(':');
            quote(json, e.getValue());
        }
        return json.append('}').toString();
    }

    /**
     * The map of a JSON object of strings.
     *
     * @throws IllegalStateException if {@code json} is not such an object
     */
    static Map<String, String> decode(String json) {
        Parser p = new Parser(json);
        Map<String, String> params = new LinkedHashMap<>();
        p.expect('{');
        if (!p.take('}')) {
            do {
                String key = p.string();
                p.expect(':');
                params.put(key, p.string());
            } while (p.take(','));
            p.expect('}');
        }
        p.end();
        return Map.copyOf(params);
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20 || ch == '\u2028' || ch == '\u2029') {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** A cursor over the text, skipping JSON white space between tokens. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        void expect(char ch) {
            if (!take(ch)) {
                throw error("expected '" + ch + "'");
            }
        }

        boolean take(char ch) {
            skipSpace();
            if (i < s.length() && s.charAt(i) == ch) {
                i++;
                return true;
            }
            return false;
        }

        void end() {
            skipSpace();
            if (i != s.length()) {
                throw error("unexpected text after the object");
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (i < s.length()) {
                char ch = s.charAt(i++);
                if (ch == '"') {
                    return out.toString();
                }
                if (ch != '\\') {
                    out.append(ch);
                    continue;
                }
                if (i >= s.length()) {
                    break;
                }
                char esc = s.charAt(i++);
                switch (esc) {
                    case '"', '\\', '/' -> out.append(esc);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("truncated \\u escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad \\u escape");
                        }
                        i += 4;
                    }
                    default -> throw error("bad escape \\" + esc);
                }
            }
            throw error("unterminated string");
        }

        private void skipSpace() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r'
                    || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private IllegalStateException error(String what) {
            return new IllegalStateException("params_json is not a JSON object of strings (" + what + " at "
                    + i + ")");
        }
    }
}
