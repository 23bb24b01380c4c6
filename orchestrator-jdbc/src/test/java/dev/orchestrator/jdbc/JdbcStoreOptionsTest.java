package dev.orchestrator.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcStoreOptionsTest {

    @Test
    void defaults() {
        JdbcStoreOptions o = JdbcStoreOptions.defaults();
        assertThat(o.schema()).isEqualTo("public");
        assertThat(o.tablePrefix()).isEqualTo("orc_");
        assertThat(o.poolSize()).isZero();
        assertThat(o.poolSize(Dialect.SQLITE)).isEqualTo(4);
        assertThat(o.poolSize(Dialect.POSTGRESQL)).isEqualTo(10);
        assertThat(o.migrate()).isTrue();
        assertThat(JdbcStoreOptions.builder().build()).isEqualTo(o).hasSameHashCodeAs(o);
    }

    @Test
    void toBuilderKeepsEveryValue() {
        JdbcStoreOptions o = JdbcStoreOptions.builder().schema("jobs").tablePrefix("app_").poolSize(3)
                .migrate(false).build();
        assertThat(o.toBuilder().build()).isEqualTo(o);
        assertThat(o.toString()).contains("schema=jobs", "tablePrefix=app_", "poolSize=3", "migrate=false");
    }

    @Test
    void tablePrefixAcceptsLowerCaseIdentifiersUpToSixteenCharacters() {
        assertThat(JdbcStoreOptions.builder().tablePrefix("a").build().tablePrefix()).isEqualTo("a");
        assertThat(JdbcStoreOptions.builder().tablePrefix("my_app_2_orc_").build().tablePrefix())
                .isEqualTo("my_app_2_orc_");
        assertThat(JdbcStoreOptions.builder().tablePrefix("abcdefghijklmnop").build().tablePrefix()).hasSize(16);
    }

    @Test
    void tablePrefixRefusesBadValuesNamingOptionValueAndRule() {
        for (String bad : new String[]{"", "Orc_", "1orc_", "_orc", "orc-", "orc ", "orc\"", "abcdefghijklmnopq",
                "sqlite_x_"}) {
            assertThatThrownBy(() -> JdbcStoreOptions.builder().tablePrefix(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tablePrefix").hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> JdbcStoreOptions.builder().tablePrefix("Orc_"))
                .hasMessage("tablePrefix must be 1 to 16 lower-case letters, digits or underscores, starting with a "
                        + "letter, got 'Orc_'");
        assertThatThrownBy(() -> JdbcStoreOptions.builder().tablePrefix(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got null");
    }

    @Test
    void schemaRefusesBadValues() {
        for (String bad : new String[]{"", "1abc", "a-b", "a.b", "pg_jobs", "PG_jobs", "x".repeat(64)}) {
            assertThatThrownBy(() -> JdbcStoreOptions.builder().schema(bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema")
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> JdbcStoreOptions.builder().schema(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got null");
        assertThat(JdbcStoreOptions.builder().schema("Jobs_2").build().schema()).isEqualTo("Jobs_2");
    }

    @Test
    void poolSizeRefusesOutOfRange() {
        assertThatThrownBy(() -> JdbcStoreOptions.builder().poolSize(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolSize must be between 0 and 1000, got -1");
        assertThatThrownBy(() -> JdbcStoreOptions.builder().poolSize(1001))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1001");
        assertThat(JdbcStoreOptions.builder().poolSize(1000).build().poolSize(Dialect.SQLITE)).isEqualTo(1000);
    }

    @Test
    void aFailedSetterLeavesTheBuilderAsItWas() {
        JdbcStoreOptions.Builder b = JdbcStoreOptions.builder().tablePrefix("good_");
        assertThatThrownBy(() -> b.tablePrefix("Bad")).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.build().tablePrefix()).isEqualTo("good_");
    }

    @Test
    void timeoutsHaveDocumentedDefaultsAndAreKeptByToBuilder() {
        JdbcStoreOptions o = JdbcStoreOptions.defaults();
        assertThat(o.connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(o.socketTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(o.statementTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(o.poolTimeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        JdbcStoreOptions t = JdbcStoreOptions.builder().connectTimeout(java.time.Duration.ofSeconds(2))
                .socketTimeout(java.time.Duration.ZERO).statementTimeout(java.time.Duration.ofMillis(1500))
                .poolTimeout(java.time.Duration.ofMillis(250)).build();
        assertThat(t.toBuilder().build()).isEqualTo(t).isNotEqualTo(o);
        assertThat(t.toString()).contains("connectTimeout=PT2S", "socketTimeout=PT0S", "statementTimeout=PT1.5S",
                "poolTimeout=PT0.25S");
    }

    @Test
    void timeoutsRefuseValuesOutOfRangeNamingTheOptionAndTheRule() {
        assertThatThrownBy(() -> JdbcStoreOptions.builder().connectTimeout(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout must be between PT1S and PT1H, got PT0S");
        assertThatThrownBy(() -> JdbcStoreOptions.builder().socketTimeout(java.time.Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("socketTimeout must be zero or between");
        assertThatThrownBy(() -> JdbcStoreOptions.builder().statementTimeout(java.time.Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("statementTimeout").hasMessageContaining("PT2H");
        assertThatThrownBy(() -> JdbcStoreOptions.builder().poolTimeout(java.time.Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("poolTimeout must be between PT0.25S and PT1H, got PT0.1S");
        assertThatThrownBy(() -> JdbcStoreOptions.builder().poolTimeout(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("poolTimeout must not be null");
    }

    @Test
    void aSocketTimeoutNotLongerThanTheStatementTimeoutIsRefusedAtBuild() {
        JdbcStoreOptions.Builder b = JdbcStoreOptions.builder().socketTimeout(java.time.Duration.ofSeconds(30));
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
                .hasMessage("socketTimeout (PT30S) must be longer than statementTimeout (PT30S), or either must be zero");
        assertThat(b.statementTimeout(java.time.Duration.ZERO).build().socketTimeout())
                .isEqualTo(java.time.Duration.ofSeconds(30));
    }
}
