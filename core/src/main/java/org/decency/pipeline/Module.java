package org.decency.pipeline;

import org.decency.core.Check;

/** A check in the pipeline, with the options it was configured with. */
public record Module(Check check, ModuleOptions options) {

    public String name() {
        return options.name();
    }
}
