package dev.orchestrator.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up shortcuts: only the named sub-command is built; SQLite is recognised without picocli. */
class StartupTest {

    @Test
    void theNamedSubcommandIsFoundPastGlobalOptions() {
        assertThat(Main.namedSubcommand(new String[]{"run", "list"})).isEqualTo("run");
        assertThat(Main.namedSubcommand(new String[]{"--db", "jdbc:sqlite:x.db", "-v", "workflow", "list"}))
                .isEqualTo("workflow");
        assertThat(Main.namedSubcommand(new String[]{"--db=jdbc:sqlite:run", "task", "show", "1"})).isEqualTo("task");
        assertThat(Main.namedSubcommand(new String[]{"--log-dir", "serve", "run"})).isEqualTo("run");
    }

    @Test
    void helpVersionTyposAndNothingGetEverySubcommand() {
        assertThat(Main.namedSubcommand(new String[]{})).isNull();
        assertThat(Main.namedSubcommand(new String[]{"--help", "run"})).isNull();
        assertThat(Main.namedSubcommand(new String[]{"-V"})).isNull();
        assertThat(Main.namedSubcommand(new String[]{"rn", "list"})).isNull();
        PrintWriter w = new PrintWriter(new StringWriter());
        assertThat(Main.commandLine(w, w, new String[]{"rn"}).getSubcommands().keySet())
                .containsExactly("workflow", "run", "task", "schedule", "serve");
        assertThat(Main.commandLine(w, w, new String[]{"run", "list"}).getSubcommands().keySet()).containsExactly("run");
    }

    @Test
    void sqliteIsTheDefaultAndTheDbOptionWins() {
        assertThat(Main.usesSqlite(new String[]{"--db", "jdbc:postgresql://h/db", "run", "list"})).isFalse();
        assertThat(Main.usesSqlite(new String[]{"--db=jdbc:sqlite:a.db", "run", "list"})).isTrue();
    }
}
