package dev.orchestrator.jdbc;

import dev.orchestrator.spi.Store;
import dev.orchestrator.spi.StoreProvider;

import java.util.Locale;

/**
 * Opens a {@link JdbcStore} for {@code jdbc:sqlite:} and {@code jdbc:postgresql:} URLs, with
 * default {@link JdbcStoreOptions} (migrations run on open). Registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.orchestrator.spi.StoreProvider}.
 */
public final class JdbcStoreProvider implements StoreProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JdbcStoreProvider() {
    }

    /** Whether {@code url} is a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL. */
    @Override
    public boolean supports(String url) {
        if (url == null) {
            return false;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        for (Dialect d : Dialect.values()) {
            if (lower.startsWith(d.urlPrefix())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Opens and migrates a store at {@code url}.
     *
     * @throws IllegalArgumentException if the URL is not supported
     * @throws IllegalStateException    if the database cannot be reached or migrated
     */
    @Override
    public Store open(String url) {
        return JdbcStore.open(url);
    }
}
