package dev.orchestrator.internal;

import dev.orchestrator.MisfirePolicy;
import dev.orchestrator.ScheduleSpec;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Turns a {@link ScheduleSpec} into stable JSON (same spec, same text) and back; the twin of {@link SpecCodec}. */
final class ScheduleCodec {

    private ScheduleCodec() {
    }

    /** The spec as JSON: instants as ISO-8601 text, parameters in key order. */
    static String toJson(ScheduleSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", spec.name());
        m.put("workflow", spec.workflow());
        m.put("cron", spec.cron());
        m.put("zone", spec.zone().getId());
        m.put("parameters", new TreeMap<>(spec.parameters()));
        m.put("misfire", spec.misfire().name());
        m.put("startAt", spec.startAt() == null ? null : spec.startAt().toString());
        m.put("endAt", spec.endAt() == null ? null : spec.endAt().toString());
        return Json.write(m);
    }

    /** Reads a spec written by {@link #toJson}; it is validated again, as when it was created. */
    @SuppressWarnings("unchecked")
    static ScheduleSpec fromJson(String json) {
        Map<String, Object> m = (Map<String, Object>) Json.parse(json);
        return new ScheduleSpec((String) m.get("name"), (String) m.get("workflow"), (String) m.get("cron"),
                ZoneId.of((String) m.get("zone")), (Map<String, String>) (Map<?, ?>) m.get("parameters"),
                MisfirePolicy.valueOf((String) m.get("misfire")), instant(m.get("startAt")), instant(m.get("endAt")));
    }

    private static Instant instant(Object v) {
        return v == null ? null : Instant.parse((String) v);
    }
}
