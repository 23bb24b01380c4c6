package dev.orchestrator.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactTest {

    @Test
    void hidesPasswordParametersAndUserInfo() {
        assertThat(Redact.url("jdbc:postgresql://h:5432/db?user=u&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true");
        assertThat(Redact.url("jdbc:postgresql://u:secret@h/db")).isEqualTo("jdbc:postgresql://u:***@h/db");
        assertThat(Redact.url("jdbc:sqlserver://h;user=u;Password=secret;db=x")).isEqualTo("jdbc:sqlserver://h;user=u;Password=***;db=x");
        assertThat(Redact.url("jdbc:sqlite:orchestrator.db")).isEqualTo("jdbc:sqlite:orchestrator.db");
        String once = Redact.url("jdbc:postgresql://u:pw@h/db?password=secret") + ": connection refused";
        assertThat(Redact.url(once)).isEqualTo(once)
                .isEqualTo("jdbc:postgresql://u:***@h/db?password=***: connection refused");
    }

    @Test
    void hidesThePasswordWhereverAMessageQuotesIt() {
        String url = "jdbc:postgresql://h/db?user=u&password=hunter22";
        assertThat(Redact.text("FATAL: password 'hunter22' rejected", url)).isEqualTo("FATAL: password '***' rejected");
    }
}
