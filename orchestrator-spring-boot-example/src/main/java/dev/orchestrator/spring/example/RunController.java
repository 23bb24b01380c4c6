package dev.orchestrator.spring.example;

import dev.orchestrator.Orchestrator;
import dev.orchestrator.RunHandle;
import dev.orchestrator.RunInfo;
import dev.orchestrator.TriggerOptions;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Map;

/**
 * Triggers and reads runs over HTTP.
 *
 * <ul>
 *   <li>{@code POST /workflows/{workflow}/runs} with an optional JSON object of string parameters and
 *       an optional {@code Idempotency-Key} header: {@code 202 Accepted} with the run, and its
 *       address in {@code Location}; {@code 404} for an unknown workflow, {@code 400} for bad
 *       parameters.</li>
 *   <li>{@code GET /runs/{id}}: the run's status and counters; {@code 404} if there is no such run.</li>
 * </ul>
 */
@RestController
class RunController {

    private final Orchestrator orchestrator;

    RunController(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    /** What a trigger answers: the run's id and status, and whether this request created it. */
    record Triggered(long id, String workflow, String status, boolean created) {
    }

    @PostMapping("/workflows/{workflow}/runs")
    ResponseEntity<Triggered> trigger(@PathVariable("workflow") String workflow,
                                      @RequestBody(required = false) Map<String, String> parameters,
                                      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        if (orchestrator.workflow(workflow).isEmpty()) {
            throw new UnknownException("workflow '" + workflow + "' is not registered");
        }
        RunHandle run = orchestrator.trigger(workflow, TriggerOptions.builder()
                .params(parameters == null ? Map.of() : parameters)
                .idempotencyKey(idempotencyKey)
                .triggeredBy("api:example")
                .build());
        return ResponseEntity.accepted().location(URI.create("/runs/" + run.id()))
                .body(new Triggered(run.id(), workflow, run.status().name(), run.created()));
    }

    @GetMapping("/runs/{id}")
    RunInfo run(@PathVariable("id") long id) {
        return orchestrator.run(id).orElseThrow(() -> new UnknownException("run " + id + " does not exist")).info();
    }

    @ExceptionHandler(UnknownException.class)
    ProblemDetail notFound(UnknownException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** The orchestrator refuses bad input with a message that names the field and the rule. */
    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /** A workflow or run that does not exist. */
    static final class UnknownException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnknownException(String message) {
            super(message);
        }
    }
}
