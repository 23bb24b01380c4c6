package dev.orchestrator.internal;

import dev.orchestrator.spi.Executor;
import dev.orchestrator.spi.ExecutorProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds the executor of a type: an instance given to the builder wins; otherwise one created
 * (on first use, so unused integrations cost nothing) by the provider found with ServiceLoader.
 */
final class ExecutorRegistry implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ExecutorRegistry.class);

    private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
            "cloudrun", "dev.orchestrator:orchestrator-cloudrun",
            "process", "dev.orchestrator:orchestrator-core");

    private static final String LOG_DIRECTORY = "logDirectory";

    private final Map<String, Executor> given;
    private final Map<String, ExecutorProvider> providers = new TreeMap<>();
    private final Map<String, Map<String, String>> config;
    private final Map<String, Executor> created = new ConcurrentHashMap<>();
    /** Called with each executor this registry creates, before it is used (the node passes its lease). */
    private volatile java.util.function.Consumer<Executor> onCreate = e -> { };
    /** The store's own log directory, asked for only when a process executor is created. */
    private final Supplier<Optional<Path>> storeLogDirectory;

    ExecutorRegistry(Map<String, Executor> given, Map<String, Map<String, String>> config, ClassLoader loader,
                     Supplier<Optional<Path>> storeLogDirectory) {
        this.given = given;
        this.config = config;
        this.storeLogDirectory = storeLogDirectory;
        for (ExecutorProvider p : ServiceLoader.load(ExecutorProvider.class, loader)) {
            providers.putIfAbsent(p.type(), p);
        }
    }

    /**
     * The executor of {@code type}.
     *
     * @throws IllegalArgumentException naming the known types and the artifact to add if none handles it
     */
    Executor get(String type) {
        Executor e = given.get(type);
        if (e != null) {
            return e;
        }
        return created.computeIfAbsent(type, t -> {
            ExecutorProvider p = providers.get(t);
            if (p == null) {
                String artifact = KNOWN_ARTIFACTS.get(t);
                throw new IllegalArgumentException("executor type '" + t + "' is unknown; known types: " + knownTypes()
                        + (artifact != null ? "; add " + artifact + " to the class path" : "")
                        + "; or pass an instance to OrchestratorBuilder.executor(...)");
            }
            Executor made = p.create(withStoreDefaults(t, config.getOrDefault(t, Map.of())));
            try {
                onCreate.accept(made);
            } catch (RuntimeException ex) {
                log.warn("executor {} threw when told of the node's lease: {}", t, ex.toString());
            }
            return made;
        });
    }

    /**
     * Sets what is done with each executor created from now on, before its first use. The node
     * tells it the lease it holds: an executor created between two renewals (on its first task)
     * must not start work as if no lease applied.
     */
    void onCreate(java.util.function.Consumer<Executor> action) {
        this.onCreate = action;
    }

    /**
     * The process executor's settings, with its log directory defaulting to the store's own, so
     * logs belong to the store and two stores on one host never share a log name.
     */
    private Map<String, String> withStoreDefaults(String type, Map<String, String> settings) {
        if (!"process".equals(type) || settings.containsKey(LOG_DIRECTORY)) {
            return settings;
        }
        Optional<Path> dir;
        try {
            dir = storeLogDirectory.get();
        } catch (RuntimeException e) {
            log.warn("the store could not name its log directory ({}); process logs go to the temporary directory",
                    e.toString());
            return settings;
        }
        if (dir.isEmpty()) {
            return settings;
        }
        Map<String, String> withDir = new HashMap<>(settings);
        withDir.put(LOG_DIRECTORY, dir.get().toString());
        return withDir;
    }

    /** Calls {@code action} on every executor in use (given or created); an exception of one is logged, not thrown. */
    void forEach(java.util.function.Consumer<Executor> action) {
        List<Executor> all = new ArrayList<>(given.values());
        all.addAll(created.values());
        for (Executor e : all) {
            try {
                action.accept(e);
            } catch (RuntimeException ex) {
                log.warn("executor {} threw: {}", e.type(), ex.toString());
            }
        }
    }

    /** Every type this registry can serve. */
    TreeSet<String> knownTypes() {
        TreeSet<String> types = new TreeSet<>(providers.keySet());
        types.addAll(given.keySet());
        return types;
    }

    /** Closes the executors this registry created (not the host's instances). */
    @Override
    public void close() {
        for (Executor e : created.values()) {
            try {
                e.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}
