package org.decency.core;

import org.decency.config.ConfigNode;

/**
 * Makes a check from its config. Factories are found with {@link java.util.ServiceLoader}
 * (listed in {@code META-INF/services/org.decency.core.CheckFactory}), so adding a check
 * touches no front door and no registry code.
 */
public interface CheckFactory {

    /** The module name used in the config, e.g. {@code Greylist}. */
    String moduleName();

    /**
     * Reads the module's own settings from {@code config} (the common module options are
     * already taken), calls {@link ConfigNode#finish()} and builds the check.
     *
     * @param name the name the check reports scores under (the module name, or the
     *             module's {@code name:} when a module is configured twice)
     */
    Check create(String name, ConfigNode config, CheckEnvironment env);
}
