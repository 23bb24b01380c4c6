/** The executor that runs tasks as local OS processes. */
package dev.orchestrator.process;
