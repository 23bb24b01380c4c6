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
}
