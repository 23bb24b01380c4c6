package dev.orchestrator.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an {@link IncompatibleJooqException} at start-up with the version to set. */
public final class IncompatibleJooqFailureAnalyzer extends AbstractFailureAnalyzer<IncompatibleJooqException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IncompatibleJooqException cause) {
        return new FailureAnalysis(cause.getMessage() + ". Spring Boot's dependency management picks jOOQ's "
                + "version unless the build sets it.",
                "Use jOOQ " + cause.required() + ": with spring-boot-starter-parent, set the Maven property "
                        + "<jooq.version>" + cause.required() + "</jooq.version>; with the spring-boot-dependencies "
                        + "BOM, declare org.jooq:jooq " + cause.required() + " in <dependencyManagement> before the "
                        + "BOM; with Gradle, set ext['jooq.version'] or a constraint.", cause);
    }
}
