package dev.orchestrator.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cron expressions, parsed by cron-utils: five fields (minute hour day-of-month month
 * day-of-week, as in Unix cron) or six with seconds first (as in Spring). Fires follow the
 * library's rules across daylight-saving changes: a time that does not exist that day (02:30
 * on a spring-forward day) is skipped, and a time that exists twice (01:30 on a fall-back day)
 * fires once, at its first occurrence.
 */
public final class Crons {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser WITH_SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));
    private static final ConcurrentHashMap<String, ExecutionTime> PARSED = new ConcurrentHashMap<>();

    private Crons() {
    }

    /**
     * Checks an expression.
     *
     * @throws IllegalArgumentException quoting the expression and the parser's reason
     */
    public static void check(String expression) {
        executionTime(expression);
    }

    /** The first fire strictly after {@code after}, in {@code zone}; empty if there is none. */
    public static Optional<Instant> nextAfter(String expression, ZoneId zone, Instant after) {
        // Fires are whole seconds; cron-utils keeps the fraction of its argument, so ask from the
        // whole second at or before it: its next fire is the first whole second after that.
        Instant from = after.truncatedTo(ChronoUnit.SECONDS);
        return executionTime(expression).nextExecution(ZonedDateTime.ofInstant(from, zone))
                .map(t -> t.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** The last fire strictly before {@code before}, in {@code zone}, as cron-utils finds it; empty if there is none. */
    public static Optional<Instant> lastBefore(String expression, ZoneId zone, Instant before) {
        return executionTime(expression).lastExecution(ZonedDateTime.ofInstant(before, zone))
                .map(t -> t.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    private static ExecutionTime executionTime(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron must not be blank");
        }
        if (PARSED.size() > 1_000) {
            PARSED.clear(); // bounded: expressions come from users
        }
        return PARSED.computeIfAbsent(expression.trim(), Crons::parse);
    }

    private static ExecutionTime parse(String expression) {
        int fields = expression.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException("cron '" + expression + "' must have 5 fields (minute hour day month "
                    + "weekday) or 6 (second first), got " + fields);
        }
        try {
            Cron cron = (fields == 5 ? UNIX : WITH_SECONDS).parse(expression);
            cron.validate();
            return ExecutionTime.forCron(cron);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron '" + expression + "' is invalid: " + e.getMessage(), e);
        }
    }
}
