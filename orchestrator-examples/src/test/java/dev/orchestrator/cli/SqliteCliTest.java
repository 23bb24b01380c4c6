package dev.orchestrator.cli;

/** The CLI end to end on an SQLite file in a temporary directory. */
class SqliteCliTest extends CliEndToEndTestBase {

    @Override
    protected String dbUrl() {
        return "jdbc:sqlite:" + dir.resolve("orchestrator.db");
    }
}
