package dev.orchestrator.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Formatting shared by the commands: JSON for {@code --json}, aligned tables and times for people. */
final class Output {

    /**
     * The mapper for {@code --json}: instants as ISO-8601 strings ({@code 2025-01-31T10:15:30.123Z}),
     * durations as {@code 30s}-style strings, pretty-printed, fields in declaration order.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new SimpleModule("orchestrator-cli")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers)
                                throws IOException {
                            gen.writeString(Durations.format(value));
                        }
                    }))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Output() {
    }

    /** Prints {@code value} as JSON on its own lines. */
    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
        out.flush();
    }

    /** A local time such as {@code 2025-01-31 10:15:30}, or {@code -}. */
    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    /** Time between two instants, {@code end} defaulting to now, or {@code -} if {@code start} is unknown. */
    static String between(Instant start, Instant end) {
        if (start == null) {
            return "-";
        }
        return Durations.human(Duration.between(start, end != null ? end : Instant.now()));
    }

    /** {@code s} or {@code -}. */
    static String orDash(Object s) {
        return s == null ? "-" : s.toString();
    }

    /** The last {@code lines} lines of {@code text}. */
    static List<String> lastLines(String text, int lines) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> all = text.lines().toList();
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    /** A plain table: left-aligned columns separated by two spaces. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();
        private final int columns;

        Table(String... headers) {
            this.columns = headers.length;
            rows.add(headers);
        }

        Table row(Object... cells) {
            String[] r = new String[columns];
            for (int i = 0; i < columns; i++) {
                Object c = i < cells.length ? cells[i] : null;
                r[i] = c == null ? "-" : Errors.oneLine(c.toString());
            }
            rows.add(r);
            return this;
        }

        void print(PrintWriter out) {
            int[] width = new int[columns];
            for (String[] r : rows) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    sb.append(r[i]);
                    if (i < columns - 1) {
                        sb.append(" ".repeat(width[i] - r[i].length() + 2));
                    }
                }
                out.println(sb.toString().stripTrailing());
            }
            out.flush();
        }
    }
}
