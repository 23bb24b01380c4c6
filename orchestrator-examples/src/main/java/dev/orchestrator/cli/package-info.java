/**
 * The {@code orchestrator} command-line tool: workflow, run and task management and a
 * foreground scheduler ({@code serve}), built with picocli. Start it with
 * {@link dev.orchestrator.cli.Main}; drive it in-process with
 * {@link dev.orchestrator.cli.Main#run(String[], java.io.PrintStream, java.io.PrintStream)}.
 *
 * <p>Not a library API: command output is for people, {@code --json} output for scripts, and
 * the exit codes in {@link dev.orchestrator.cli.ExitCodes} are the contract.
 */
package dev.orchestrator.cli;
