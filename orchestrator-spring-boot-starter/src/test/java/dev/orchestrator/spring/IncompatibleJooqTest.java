package dev.orchestrator.spring;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up check of the jOOQ version (Spring Boot 4.0's dependency management brings 3.19). */
class IncompatibleJooqTest {

    @Test
    void anOlderMinorVersionThanTheBuildsFails() {
        assertThatThrownBy(() -> IncompatibleJooqException.check("3.19.35", "3.21.9"))
                .isInstanceOf(IncompatibleJooqException.class)
                .hasMessage("orchestrator-jdbc needs jOOQ 3.21.9 or newer, but the class path has jOOQ 3.19.35");
        assertThatThrownBy(() -> IncompatibleJooqException.check("2.99.0", "3.21.9"))
                .isInstanceOf(IncompatibleJooqException.class);
    }

    @Test
    void theSameOrANewerMinorVersionOrAnUnknownOnePasses() {
        assertThatCode(() -> IncompatibleJooqException.check("3.21.1", "3.21.9")).doesNotThrowAnyException();
        assertThatCode(() -> IncompatibleJooqException.check("3.22.0", "3.21.9")).doesNotThrowAnyException();
        assertThatCode(() -> IncompatibleJooqException.check("4.0.0", "3.21.9")).doesNotThrowAnyException();
        assertThatCode(() -> IncompatibleJooqException.check(null, "3.21.9")).doesNotThrowAnyException();
        assertThatCode(() -> IncompatibleJooqException.check("3.19.35", null)).doesNotThrowAnyException();
        assertThatCode(() -> IncompatibleJooqException.check("snapshot", "3.21.9")).doesNotThrowAnyException();
    }

    @Test
    void theBuildRecordsTheJooqVersionThatRunsInThisBuild() {
        assertThat(StarterBuild.jooqVersion()).isNotBlank().isEqualTo(IncompatibleJooqException.runtimeVersion());
        assertThat(StarterBuild.version()).isNotEqualTo("unknown");
    }

    @Test
    void theFailureAnalysisSaysWhichVersionToSet() {
        FailureAnalysis analysis = new IncompatibleJooqFailureAnalyzer()
                .analyze(new IllegalStateException("wrapped", new IncompatibleJooqException("3.19.35", "3.21.9")));
        assertThat(analysis.getDescription()).contains("needs jOOQ 3.21.9 or newer").contains("jOOQ 3.19.35");
        assertThat(analysis.getAction()).contains("<jooq.version>3.21.9</jooq.version>")
                .contains("org.jooq:jooq 3.21.9");
    }
}
