package dev.orchestrator.spring.example;

import dev.orchestrator.StepSpec;
import dev.orchestrator.WorkflowSpec;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application with the orchestrator: the starter builds it on the application's
 * DataSource (a SQLite file by default, see {@code application.properties}), registers the
 * {@link WorkflowSpec} beans below, and starts the scheduler with the application.
 * {@link RunController} triggers runs over HTTP.
 *
 * <pre>
 * mvn -q -pl orchestrator-spring-boot-example -am package -DskipTests exec:java   (or run this class in the IDE)
 * curl -X POST localhost:8080/workflows/greet/runs -H 'Content-Type: application/json' -d '{"name":"Ada"}'
 * curl localhost:8080/runs/1
 * curl localhost:8080/actuator/health
 * </pre>
 */
@SpringBootApplication
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    /**
     * Three process tasks; each prints a greeting with its run parameter {@code name}, which it
     * sees as {@code ORCHESTRATOR_PARAM_name} (the program runs without a shell).
     */
    @Bean
    WorkflowSpec greetWorkflow() {
        return WorkflowSpec.of("greet", StepSpec.process("say-hello", "/usr/bin/printenv", "ORCHESTRATOR_PARAM_name")
                .tasks(3));
    }
}
