package dev.orchestrator.cli;

import picocli.CommandLine.IVersionProvider;

/** Prints the tool's version (from the jar manifest) and the Java runtime it runs on. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
                "orchestrator " + (v != null ? v : "(development build)"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }
}
