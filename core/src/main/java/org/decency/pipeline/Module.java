package org.decency.pipeline;

import org.decency.core.Check;

/**
 * A check in the pipeline, with the options it was configured with.
 *
 * @param cache its result cache, or null when it has none
 */
public record Module(Check check, ModuleOptions options, ResultCache cache) {

    public Module(Check check, ModuleOptions options) {
        this(check, options, null);
    }

    public String name() {
        return options.name();
    }
}
