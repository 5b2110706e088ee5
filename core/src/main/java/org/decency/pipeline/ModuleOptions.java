package org.decency.pipeline;

import java.time.Duration;
import org.decency.config.ConfigNode;

/**
 * The options every module understands, whatever the check: {@code disable},
 * {@code timeout}, {@code force_check_local} (alias {@code handle_localhost}) and
 * {@code name} (the score code, for a module configured twice), {@code result_cache}
 * (see {@link ResultCache}; only checks that name a cache key use it) and {@code
 * on_failure} (see {@link OnFailure}). The seeds' {@code no_cache} is accepted and has no
 * effect.
 *
 * @param forceCheckLocal null: follow the server's setting
 * @param resultCache     null: no result cache
 * @param onFailure       null: the check's own choice ({@link org.decency.core.Check#failed})
 */
public record ModuleOptions(String name, boolean disabled, Duration timeout, Boolean forceCheckLocal,
                            ResultCache.Settings resultCache, OnFailure onFailure) {

    public ModuleOptions(String name, boolean disabled, Duration timeout, Boolean forceCheckLocal) {
        this(name, disabled, timeout, forceCheckLocal, null, null);
    }

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** Takes the common options out of a module's config node. */
    public static ModuleOptions read(String moduleName, ConfigNode config) {
        String name = config.string("name", moduleName);
        boolean disabled = config.bool("disable", false);
        Duration timeout = config.duration("timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero()) throw config.required("timeout").error("must be more than 0");
        Boolean local = config.child("force_check_local", "handle_localhost").map(ConfigNode::asBool).orElse(null);
        config.bool("no_cache", false); // the seeds' switch for a module's private cache; our store has none to skip
        ResultCache.Settings cache = config.child("result_cache").map(ResultCache.Settings::read).orElse(null);
        OnFailure onFailure = OnFailure.read(config, null);
        return new ModuleOptions(name, disabled, timeout, local, cache, onFailure);
    }
}
