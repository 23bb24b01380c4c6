package dev.orchestrator.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.orchestrator.ConcurrencyPolicy;
import dev.orchestrator.JobSpec;
import dev.orchestrator.RetryPolicy;
import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The workflow file format of {@code workflow create --file}, in JSON or YAML:
 *
 * <pre>
 * name: nightly
 * steps:
 *   - name: extract
 *     command: [/usr/bin/extract, --all]
 *     tasks: 10
 *     retries: 2
 *     backoff: 5s
 *     timeout: 10m
 *   - name: load
 *     executor: process
 *     command: [/usr/bin/load]
 *     env: {TARGET: prod}
 *     workingDirectory: /srv/etl
 *     dependsOn: [extract]
 *     maxConcurrentTasks: 3        # at most 3 tasks of this step at once, across nodes and runs
 * maxConcurrentRuns: 2             # optional: at most 2 runs at once
 * concurrencyPolicy: queue         # queue (default) or refuse, for runs over that
 * </pre>
 *
 * Unknown fields and wrong types are errors that name the line and the field.
 */
final class WorkflowFile {

    /** Default initial backoff between attempts of a step with retries. */
    static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
    /** Default cap of the backoff. */
    static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);

    /*
     * Plain classes rather than records: Jackson binds records through their constructor and
     * buffers unknown fields until the end of the object, which loses the line of the mistake.
     */

    /** A workflow as written in a file. */
    @JsonPropertyOrder({"name", "steps", "maxConcurrentRuns", "concurrencyPolicy"})
    static final class FileWorkflow {
        public String name;
        public List<FileStep> steps;
        public Integer maxConcurrentRuns;
        public String concurrencyPolicy;
    }

    /** A step as written in a file; every field but {@code name} (and {@code command} for processes) is optional. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @JsonPropertyOrder({"name", "executor", "command", "env", "workingDirectory", "options", "tasks", "retries",
            "backoff", "maxBackoff", "timeout", "heartbeatTimeout", "dependsOn", "maxConcurrentTasks"})
    static final class FileStep {
        public String name;
        public String executor;
        public List<String> command;
        public Map<String, String> env;
        public String workingDirectory;
        public Map<String, String> options;
        public Integer tasks;
        public Integer retries;
        public Duration backoff;
        public Duration maxBackoff;
        public Duration timeout;
        public Duration heartbeatTimeout;
        public List<String> dependsOn;
        public Integer maxConcurrentTasks;
    }

    private static final SimpleModule DURATIONS = new SimpleModule("durations")
            .addDeserializer(Duration.class, new DurationDeserializer());

    private static final ObjectMapper JSON_READER = JsonMapper.builder()
            .addModule(DURATIONS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final ObjectMapper YAML_READER = YAMLMapper.builder(new YAMLFactory())
            .addModule(DURATIONS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private WorkflowFile() {
    }

    /**
     * Reads and validates a workflow file; {@code .json} files as JSON, everything else as YAML
     * (a superset of JSON).
     *
     * @throws CliException {@link ExitCodes#BAD_INPUT} naming the file, line and field at fault
     */
    static WorkflowSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CliException.badInput(file + ": no such file");
        } catch (IOException e) {
            throw CliException.badInput(file + ": cannot read: " + Errors.message(e));
        }
        return parse(file.toString(), text);
    }

    /** Parses {@code text}; {@code source} names it in messages and picks the format by extension. */
    static WorkflowSpec parse(String source, String text) {
        boolean json = source.toLowerCase(Locale.ROOT).endsWith(".json");
        if (text.isBlank()) {
            throw CliException.badInput(source + ": the file is empty; it needs 'name' and 'steps'");
        }
        FileWorkflow wf;
        try {
            wf = (json ? JSON_READER : YAML_READER).readValue(text, FileWorkflow.class);
        } catch (JsonProcessingException e) {
            throw CliException.badInput(source + ": " + describe(e));
        }
        if (wf == null) {
            throw CliException.badInput(source + ": the file is empty; it needs 'name' and 'steps'");
        }
        try {
            return toSpec(wf);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw CliException.badInput(source + ": " + Errors.message(e));
        }
    }

    /** Builds the spec; messages name the field. */
    static WorkflowSpec toSpec(FileWorkflow wf) {
        if (wf.name == null) {
            throw new IllegalArgumentException("field 'name' is missing");
        }
        if (wf.steps == null || wf.steps.isEmpty()) {
            throw new IllegalArgumentException("field 'steps' is missing or empty; a workflow needs at least one step");
        }
        List<StepSpec> steps = new ArrayList<>();
        for (int i = 0; i < wf.steps.size(); i++) {
            FileStep s = wf.steps.get(i);
            if (s == null) {
                throw new IllegalArgumentException("steps[" + i + "] is empty");
            }
            if (s.name == null) {
                throw new IllegalArgumentException("field 'steps[" + i + "].name' is missing");
            }
            if (s.command != null && s.command.contains(null)) {
                throw new IllegalArgumentException("field 'steps[" + i + "].command' must not contain null");
            }
            JobSpec job = new JobSpec(s.command == null ? List.of() : s.command, nonNull(s.env, "env", i),
                    s.workingDirectory, nonNull(s.options, "options", i));
            steps.add(new StepSpec(s.name, s.executor == null ? "process" : s.executor, job,
                    s.tasks == null ? 1 : s.tasks, retry(s.retries, s.backoff, s.maxBackoff, "steps[" + i + "]."),
                    s.timeout, s.heartbeatTimeout, s.dependsOn, StepSpec.DEFAULT_MAX_LOST_ATTEMPTS,
                    s.maxConcurrentTasks));
        }
        if (wf.concurrencyPolicy != null && wf.maxConcurrentRuns == null) {
            throw new IllegalArgumentException("field 'concurrencyPolicy' needs 'maxConcurrentRuns'");
        }
        return new WorkflowSpec(wf.name, steps, wf.maxConcurrentRuns, policy(wf.concurrencyPolicy));
    }

    /** {@code queue} or {@code refuse}, in any case; {@code null} for the default. */
    private static ConcurrencyPolicy policy(String name) {
        if (name == null) {
            return null;
        }
        for (ConcurrencyPolicy p : ConcurrencyPolicy.values()) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("field 'concurrencyPolicy' must be queue or refuse, got '" + name + "'");
    }

    /** The retry policy of {@code retries} extra attempts; {@code null}s take the defaults. */
    static RetryPolicy retry(Integer retries, Duration backoff, Duration maxBackoff, String fieldPrefix) {
        int r = retries == null ? 0 : retries;
        if (r < 0 || r > 99) {
            throw new IllegalArgumentException(fieldPrefix + "retries must be between 0 and 99, got " + r);
        }
        if (r == 0 && backoff == null && maxBackoff == null) {
            return RetryPolicy.NONE;
        }
        Duration initial = backoff == null ? DEFAULT_BACKOFF : backoff;
        Duration max = maxBackoff != null ? maxBackoff
                : initial.compareTo(DEFAULT_MAX_BACKOFF) > 0 ? initial : DEFAULT_MAX_BACKOFF;
        try {
            return new RetryPolicy(r + 1, initial, max);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(fieldPrefix + e.getMessage()
                    .replace("initialBackoff", "backoff").replace("maxBackoff", "maxBackoff"), e);
        }
    }

    private static Map<String, String> nonNull(Map<String, String> map, String field, int step) {
        if (map == null) {
            return Map.of();
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("field 'steps[" + step + "]." + field + "." + e.getKey()
                        + "' must have a value");
            }
        }
        return map;
    }

    /** The file form of a registered spec: what {@code workflow show --json} prints. */
    static List<FileStep> toFile(WorkflowSpec spec) {
        return spec.steps().stream().map(WorkflowFile::toFile).toList();
    }

    static FileStep toFile(StepSpec s) {
        RetryPolicy r = s.retry();
        boolean noRetry = r.equals(RetryPolicy.NONE);
        FileStep f = new FileStep();
        f.name = s.name();
        f.executor = s.executor();
        f.command = s.job().command();
        f.env = s.job().environment();
        f.workingDirectory = s.job().workingDirectory();
        f.options = s.job().options();
        f.tasks = s.taskCount();
        f.retries = r.maxAttempts() - 1;
        f.backoff = noRetry ? null : r.initialBackoff();
        f.maxBackoff = noRetry ? null : r.maxBackoff();
        f.timeout = s.timeout();
        f.heartbeatTimeout = s.heartbeatTimeout();
        f.dependsOn = s.dependsOn();
        f.maxConcurrentTasks = s.maxConcurrentTasks();
        return f;
    }

    /** One line for a Jackson error: where (line, column), which field, and what is wrong. */
    static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        if (e instanceof UnrecognizedPropertyException && e.getProcessor() instanceof JsonParser p
                && p.currentTokenLocation() != null && p.currentTokenLocation().getLineNr() > 0) {
            // the YAML parser's current location is past the value; the token's is at the field
            loc = p.currentTokenLocation();
        }
        String where = loc != null && loc.getLineNr() > 0
                ? "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " : "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException syntax) {
                JsonLocation at = syntax.getLocation();
                String w = at != null && at.getLineNr() > 0
                        ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " : where;
                return w + "syntax error: " + Errors.oneLine(syntax.getOriginalMessage())
                        .replaceAll("\\[Source: .*?; (line: )", "[$1");
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = path(u.getPath().subList(0, Math.max(0, u.getPath().size() - 1)));
            Collection<Object> known = u.getKnownPropertyIds();
            return where + "unknown field '" + u.getPropertyName() + "'"
                    + (parent.isEmpty() ? "" : " in " + parent)
                    + (known == null || known.isEmpty() ? "" : " (known fields: "
                    + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (e instanceof InvalidFormatException f) {
            return where + "field '" + path(f.getPath()) + "': " + invalidValue(f);
        }
        if (e instanceof ValueInstantiationException v) {
            return where + "field '" + path(v.getPath()) + "': " + Errors.message(Objects.requireNonNullElse(v.getCause(), v));
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m.getPath());
            return where + (field.isEmpty() ? "the file must be a map with 'name' and 'steps'"
                    : "field '" + field + "' must be " + typeName(m.getTargetType()));
        }
        if (e instanceof JsonMappingException m) {
            return where + "field '" + path(m.getPath()) + "': " + Errors.oneLine(m.getOriginalMessage());
        }
        return where + Errors.oneLine(e.getOriginalMessage());
    }

    private static String invalidValue(InvalidFormatException f) {
        if (f.getTargetType() == Duration.class) {
            return Errors.oneLine(f.getOriginalMessage());
        }
        return "cannot use '" + f.getValue() + "', expected " + typeName(f.getTargetType());
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "a duration such as 30s, 5m or 1h";
        }
        if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map of names to strings";
        }
        if (type == FileStep.class) {
            return "a step (a map with 'name', 'command', ...)";
        }
        if (type == FileWorkflow.class) {
            return "a map with 'name' and 'steps'";
        }
        return "a " + type.getSimpleName();
    }

    /** {@code steps[1].tasks} from Jackson's reference path. */
    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** Durations in files: strings such as {@code 30s}, {@code 5m}, {@code 1h30m} or ISO-8601. */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            String text = p.getText();
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }
}
