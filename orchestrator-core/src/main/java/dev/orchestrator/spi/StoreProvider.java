package dev.orchestrator.spi;

/**
 * Opens a {@link Store} from a URL; found with {@link java.util.ServiceLoader}.
 * {@code orchestrator-jdbc} registers one for {@code jdbc:sqlite:} and {@code jdbc:postgresql:} URLs.
 */
public interface StoreProvider {

    /** Whether this provider can open {@code url}. */
    boolean supports(String url);

    /**
     * Opens (and migrates, unless told otherwise by the implementation) a store.
     *
     * @throws IllegalArgumentException if the URL is malformed
     * @throws IllegalStateException    if the database cannot be reached
     */
    Store open(String url);
}
